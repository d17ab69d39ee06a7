-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Device" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "appId" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "tokenKey" BIGINT NOT NULL,
    "userId" TEXT,
    "locale" TEXT,
    "timeZone" TEXT,
    "appVersion" TEXT,
    "osVersion" TEXT,
    "model" TEXT,
    "attributes" TEXT,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "invalidReason" TEXT,
    "invalidatedAt" DATETIME,
    "firstSeenAt" DATETIME NOT NULL,
    "lastRegisteredAt" DATETIME NOT NULL,
    "reactivatedAt" DATETIME,
    "reactivationCount" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Device_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Device" ("appId", "appVersion", "attributes", "environment", "firstSeenAt", "id", "invalidReason", "invalidatedAt", "lastRegisteredAt", "locale", "model", "osVersion", "reactivatedAt", "reactivationCount", "status", "timeZone", "token", "tokenKey", "updatedAt", "userId") SELECT "appId", "appVersion", "attributes", "environment", "firstSeenAt", "id", "invalidReason", "invalidatedAt", "lastRegisteredAt", "locale", "model", "osVersion", "reactivatedAt", "reactivationCount", "status", "timeZone", "token",
    -- The token's first 13 hex digits (52 bits) as an integer, as lib/devices/token-key.ts computes it.
    (instr('0123456789abcdef', substr(lower("token"), 1, 1)) - 1) * 281474976710656 + (instr('0123456789abcdef', substr(lower("token"), 2, 1)) - 1) * 17592186044416 + (instr('0123456789abcdef', substr(lower("token"), 3, 1)) - 1) * 1099511627776 + (instr('0123456789abcdef', substr(lower("token"), 4, 1)) - 1) * 68719476736 + (instr('0123456789abcdef', substr(lower("token"), 5, 1)) - 1) * 4294967296 + (instr('0123456789abcdef', substr(lower("token"), 6, 1)) - 1) * 268435456 + (instr('0123456789abcdef', substr(lower("token"), 7, 1)) - 1) * 16777216 + (instr('0123456789abcdef', substr(lower("token"), 8, 1)) - 1) * 1048576 + (instr('0123456789abcdef', substr(lower("token"), 9, 1)) - 1) * 65536 + (instr('0123456789abcdef', substr(lower("token"), 10, 1)) - 1) * 4096 + (instr('0123456789abcdef', substr(lower("token"), 11, 1)) - 1) * 256 + (instr('0123456789abcdef', substr(lower("token"), 12, 1)) - 1) * 16 + (instr('0123456789abcdef', substr(lower("token"), 13, 1)) - 1) * 1,
    "updatedAt", "userId" FROM "Device";
DROP TABLE "Device";
ALTER TABLE "new_Device" RENAME TO "Device";
CREATE INDEX "Device_tokenKey_idx" ON "Device"("tokenKey");
CREATE INDEX "Device_userId_idx" ON "Device"("userId");
CREATE INDEX "Device_appId_environment_status_idx" ON "Device"("appId", "environment", "status");

-- One row per (app, environment, token), checked through the narrow tokenKey index instead of a
-- unique index on the 100-byte key (see prisma/models.prisma). The registration path checks before
-- it writes, and these triggers keep every other writer honest. lib/db/schema-engine.ts lists them.
CREATE TRIGGER "Device_token_unique_insert" BEFORE INSERT ON "Device"
WHEN EXISTS (SELECT 1 FROM "Device" WHERE "tokenKey" = NEW."tokenKey" AND "token" = NEW."token" AND "appId" = NEW."appId" AND "environment" = NEW."environment")
BEGIN
    SELECT RAISE(ABORT, 'UNIQUE constraint failed: Device.appId, Device.environment, Device.token');
END;
CREATE TRIGGER "Device_token_unique_update" BEFORE UPDATE OF "appId", "environment", "token", "tokenKey" ON "Device"
WHEN EXISTS (SELECT 1 FROM "Device" WHERE "tokenKey" = NEW."tokenKey" AND "token" = NEW."token" AND "appId" = NEW."appId" AND "environment" = NEW."environment" AND "id" <> NEW."id")
BEGIN
    SELECT RAISE(ABORT, 'UNIQUE constraint failed: Device.appId, Device.environment, Device.token');
END;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
