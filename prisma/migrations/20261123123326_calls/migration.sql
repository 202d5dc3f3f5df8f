-- CreateTable
CREATE TABLE "Call" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "callerId" TEXT NOT NULL,
    "calleeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ringing',
    "outcome" TEXT,
    "endReason" TEXT,
    "conversationId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answeredAt" DATETIME,
    "endedAt" DATETIME,
    "durationSeconds" INTEGER NOT NULL DEFAULT 0
);

-- CreateIndex
CREATE INDEX "Call_callerId_createdAt_id_idx" ON "Call"("callerId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Call_calleeId_createdAt_id_idx" ON "Call"("calleeId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Call_status_idx" ON "Call"("status");
