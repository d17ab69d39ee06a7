-- AlterTable
-- The UTC day of lastRegisteredAt (days since 1970-01-01), which audiences' "registered within N
-- days" compares (docs/audiences.md). Registrations keep it (lib/devices/upsert-devices.ts).
ALTER TABLE "Device" ADD COLUMN     "registeredDay" INTEGER;
UPDATE "Device" SET "registeredDay" = "lastRegisteredAt"::date - DATE '1970-01-01';

-- CreateIndex
-- The audience count's covering index (docs/audiences.md, lib/campaigns/audience-sql.ts). A segment
-- with a locale reads the devices of one app, environment and status, language and recent days
-- from this index alone (an index-only scan, no heap page) and joins them to the tag index. The
-- language expression is the one audienceQuery writes. "locale" is included so the full locale
-- rule is checked in the index too, and "id" for the join. Neither lastRegisteredAt nor updatedAt
-- is in it, so a refresh stays a HOT update except the first of each day (registeredDay moves).
-- The models cannot declare an expression index: lib/db/schema-engine.ts keeps it out of the diff.
CREATE INDEX "Device_audience_idx" ON "Device" ("appId", "environment", "status",
  (lower(split_part(translate("locale", '_@', '--'), '-', 1))), "registeredDay") INCLUDE ("locale", "id");
