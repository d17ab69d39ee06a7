-- AlterTable
-- The UTC day of lastRegisteredAt (days since 1970-01-01), which audiences' "registered within N
-- days" compares (docs/audiences.md). Registrations keep it (lib/devices/upsert-devices.ts).
ALTER TABLE "Device" ADD COLUMN "registeredDay" INTEGER;
UPDATE "Device" SET "registeredDay" = CASE typeof("lastRegisteredAt")
  WHEN 'integer' THEN "lastRegisteredAt" / 86400000
  ELSE CAST(strftime('%s', "lastRegisteredAt") AS INTEGER) / 86400 END;
