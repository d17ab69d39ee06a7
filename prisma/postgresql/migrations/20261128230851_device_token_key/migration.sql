-- AlterTable
-- The token's first 13 hex digits (52 bits) as an integer, as lib/devices/token-key.ts computes it.
ALTER TABLE "Device" ADD COLUMN     "tokenKey" BIGINT;
UPDATE "Device" SET "tokenKey" = ('x' || lpad(substr(lower("token"), 1, 13), 16, '0'))::bit(64)::bigint;
ALTER TABLE "Device" ALTER COLUMN "tokenKey" SET NOT NULL;

-- CreateIndex
CREATE INDEX "Device_tokenKey_idx" ON "Device"("tokenKey");

-- "Device_token_appId_environment_key" stays: on PostgreSQL the unique index enforces one row per
-- (app, environment, token) for concurrent writers. The models no longer declare it (see
-- prisma/models.prisma), and lib/db/schema-engine.ts keeps it out of the diff.
