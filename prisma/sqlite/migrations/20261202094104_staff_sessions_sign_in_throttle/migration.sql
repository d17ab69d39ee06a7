-- Sign-in throttling moves from per-account locks to per (account, address) and per-address delays
-- (lib/auth/throttle.ts). The old per-account rows ("email:<address>") locked an account for every
-- address, so they go, and per-address rows ("ip:<address>") keep their counts and locks, their window
-- start becoming the last attempt. Written by hand: the generated diff drops "windowStart".
DELETE FROM "SignInThrottle" WHERE "key" LIKE 'email:%';

-- AlterTable
ALTER TABLE "SignInThrottle" RENAME COLUMN "windowStart" TO "lastAttemptAt";

-- CreateIndex
CREATE INDEX "SignInThrottle_lastAttemptAt_idx" ON "SignInThrottle"("lastAttemptAt");

-- CreateTable
CREATE TABLE "StaffSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "ip" TEXT,
    CONSTRAINT "StaffSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "StaffSession_userId_idx" ON "StaffSession"("userId");

-- CreateIndex
CREATE INDEX "StaffSession_expiresAt_idx" ON "StaffSession"("expiresAt");
