-- Dispatch's outbox (docs/dispatch.md): Campaign.materializedAt marks an audience fully turned into
-- Delivery rows, Delivery.possibleDuplicate flags a resend that may have reached the device twice,
-- the unique (campaignId, deviceId) makes materializing again after a crash insert nothing twice
-- (rows come in device-id order, so that index grows at its right edge), the claim reads a
-- campaign's due rows through (campaignId, status, availableAt), which replaces (campaignId, status).

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN "materializedAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Delivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "campaignId" TEXT,
    "deviceId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "apnsId" TEXT NOT NULL,
    "apnsUniqueId" TEXT,
    "apnsStatus" INTEGER,
    "reason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "possibleDuplicate" BOOLEAN NOT NULL DEFAULT false,
    "payload" TEXT,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "availableAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "completedAt" DATETIME,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Delivery_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Delivery_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Delivery" ("apnsId", "apnsStatus", "apnsUniqueId", "attempts", "availableAt", "campaignId", "completedAt", "createdAt", "createdById", "deviceId", "id", "kind", "leaseExpiresAt", "leaseOwner", "payload", "reason", "sentAt", "status") SELECT "apnsId", "apnsStatus", "apnsUniqueId", "attempts", "availableAt", "campaignId", "completedAt", "createdAt", "createdById", "deviceId", "id", "kind", "leaseExpiresAt", "leaseOwner", "payload", "reason", "sentAt", "status" FROM "Delivery";
DROP TABLE "Delivery";
ALTER TABLE "new_Delivery" RENAME TO "Delivery";
CREATE INDEX "Delivery_status_availableAt_idx" ON "Delivery"("status", "availableAt");
CREATE INDEX "Delivery_campaignId_status_availableAt_idx" ON "Delivery"("campaignId", "status", "availableAt");
CREATE INDEX "Delivery_deviceId_createdAt_idx" ON "Delivery"("deviceId", "createdAt");
CREATE INDEX "Delivery_createdAt_idx" ON "Delivery"("createdAt");
CREATE UNIQUE INDEX "Delivery_campaignId_deviceId_key" ON "Delivery"("campaignId", "deviceId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
