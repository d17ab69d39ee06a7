// Another process writing a large group commit, for tests/integration/lock-wait.test.ts. Run with
// `node --import tsx` and an IPC channel; DATABASE_URL names the database, argv[2] the app id and
// argv[3] the number of devices. It registers them in one group-commit transaction and reports on
// the channel: "locked" (the transaction is open), "written" (every row is in; the lock is still
// held until the parent sends "release"), then "committed".
import { randomBytes } from "node:crypto";
import { resolveDatabaseConfig } from "@/lib/db/config";
import { groupCommit } from "@/lib/db/group-commit";
import { createSqlRunner } from "@/lib/db/sql";
import { tokenKey } from "@/lib/devices/token-key";
import { keyOrder, upsertDevices, type DeviceRow } from "@/lib/devices/upsert-devices";

const [appId, count] = [process.argv[2], Number(process.argv[3])];
const send = (message: string) => process.send!(message);
const released = new Promise<void>((resolve) =>
  process.on("message", (message) => message === "release" && resolve()),
);
const sql = createSqlRunner(resolveDatabaseConfig());
let rows: DeviceRow[] = Array.from({ length: count }, (_, i) => {
  const token = randomBytes(32).toString("hex");

  return {
    appId,
    environment: "PRODUCTION",
    token,
    tokenKey: tokenKey(token),
    userId: `user-${i % 500}`,
    locale: "en_US",
    timeZone: null,
    appVersion: "1.0",
    osVersion: "18.2",
    model: "iPhone16,1",
    attributes: null,
    tags: i % 3 ? null : ["beta"],
  };
});
rows = keyOrder(rows).map((i) => rows[i]);
const started = Date.now();
await groupCommit(
  sql,
  async (tx) => {
    send("locked");
    await upsertDevices(tx, rows, new Date(), JSON.stringify({ by: "lock-wait test" }));
    send(`written ${Date.now() - started}`);
    await released;
  },
  rows.length,
);
send("committed");
await sql.close();
process.disconnect();
