-- Dispatch's outbox (docs/dispatch.md): Campaign.materializedAt marks an audience fully turned into
-- Delivery rows, Delivery.possibleDuplicate flags a resend that may have reached the device twice,
-- the unique (campaignId, deviceId) makes materializing again after a crash insert nothing twice
-- (rows come in device-id order, so that index grows at its right edge), the claim reads a
-- campaign's due rows through (campaignId, status, availableAt), which replaces (campaignId, status).

-- DropIndex
DROP INDEX "Delivery_campaignId_status_idx";

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "materializedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "possibleDuplicate" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Delivery_campaignId_status_availableAt_idx" ON "Delivery"("campaignId", "status", "availableAt");

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_campaignId_deviceId_key" ON "Delivery"("campaignId", "deviceId");
