-- DropIndex
DROP INDEX "Device_appId_environment_token_key";

-- DropIndex
DROP INDEX "Device_status_lastRegisteredAt_idx";

-- DropIndex
DROP INDEX "Device_token_idx";

-- CreateIndex
CREATE UNIQUE INDEX "Device_token_appId_environment_key" ON "Device"("token", "appId", "environment");
