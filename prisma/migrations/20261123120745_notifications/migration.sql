-- AlterTable
ALTER TABLE "Membership" ADD COLUMN "mutedUntil" DATETIME;

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "conversationId" TEXT,
    "messageId" TEXT,
    "seq" INTEGER,
    "actorId" TEXT,
    "title" TEXT,
    "preview" TEXT,
    "count" INTEGER NOT NULL DEFAULT 1,
    "readAt" DATETIME,
    "coalesceKey" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'user',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME,
    "presenceMode" TEXT NOT NULL DEFAULT 'auto',
    "statusText" TEXT,
    "statusEmoji" TEXT,
    "statusExpiresAt" DATETIME,
    "disabledNotificationKinds" TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO "new_User" ("createdAt", "email", "id", "lastSeenAt", "name", "passwordHash", "presenceMode", "role", "statusEmoji", "statusExpiresAt", "statusText", "updatedAt") SELECT "createdAt", "email", "id", "lastSeenAt", "name", "passwordHash", "presenceMode", "role", "statusEmoji", "statusExpiresAt", "statusText", "updatedAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Notification_userId_updatedAt_id_idx" ON "Notification"("userId", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "Notification_userId_readAt_idx" ON "Notification"("userId", "readAt");

-- CreateIndex
CREATE INDEX "Notification_userId_conversationId_idx" ON "Notification"("userId", "conversationId");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_userId_coalesceKey_key" ON "Notification"("userId", "coalesceKey");
