-- AlterTable
ALTER TABLE "Call" ADD COLUMN "matchId" TEXT;

-- CreateTable
CREATE TABLE "Match" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "callId" TEXT NOT NULL,
    "userAId" TEXT NOT NULL,
    "userBId" TEXT NOT NULL,
    "aliasA" TEXT NOT NULL,
    "aliasB" TEXT NOT NULL,
    "moodA" TEXT NOT NULL,
    "moodB" TEXT NOT NULL,
    "topicA" TEXT,
    "topicB" TEXT,
    "language" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "MatchRating" (
    "matchId" TEXT NOT NULL,
    "raterId" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "feedback" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("matchId", "raterId"),
    CONSTRAINT "MatchRating_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MatchReport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "matchId" TEXT NOT NULL,
    "reporterId" TEXT NOT NULL,
    "reportedId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "details" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MatchReport_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MatchBlock" (
    "blockerId" TEXT NOT NULL,
    "blockedId" TEXT NOT NULL,
    "matchId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("blockerId", "blockedId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Match_callId_key" ON "Match"("callId");

-- CreateIndex
CREATE INDEX "Match_userAId_createdAt_idx" ON "Match"("userAId", "createdAt");

-- CreateIndex
CREATE INDEX "Match_userBId_createdAt_idx" ON "Match"("userBId", "createdAt");

-- CreateIndex
CREATE INDEX "MatchReport_createdAt_id_idx" ON "MatchReport"("createdAt", "id");

-- CreateIndex
CREATE INDEX "MatchReport_reportedId_idx" ON "MatchReport"("reportedId");

-- CreateIndex
CREATE UNIQUE INDEX "MatchReport_matchId_reporterId_key" ON "MatchReport"("matchId", "reporterId");

-- CreateIndex
CREATE INDEX "MatchBlock_blockedId_idx" ON "MatchBlock"("blockedId");
