import type { ProviderTokenStore, StoredProviderToken } from "@/lib/apns";
import { toDate, type SqlRunner } from "@/lib/db/sql";

/**
 * The provider token shared through the database, so every process sending with a key (web process,
 * workers) uses one token and APNs never sees TooManyProviderTokenUpdates (docs/architecture.md,
 * decision 2).
 */
export class DbProviderTokenStore implements ProviderTokenStore {
  constructor(
    private readonly sql: SqlRunner,
    private readonly teamId: string,
  ) {}

  async get(keyId: string): Promise<StoredProviderToken | null> {
    const [row] = await this.sql.query<{ token: string; issuedAt: unknown }>(
      `SELECT "token", "issuedAt" FROM "ProviderToken" WHERE "keyId" = $1`,
      [keyId],
    );

    return row ? { token: row.token, issuedAtMs: toDate(row.issuedAt)!.getTime() } : null;
  }

  async compareAndSet(
    keyId: string,
    expected: string | null,
    next: StoredProviderToken,
  ): Promise<StoredProviderToken> {
    const issuedAt = new Date(next.issuedAtMs);
    if (expected === null) {
      await this.sql.execute(
        `INSERT INTO "ProviderToken" ("keyId", "teamId", "token", "issuedAt") VALUES ($1, $2, $3, $4) ON CONFLICT ("keyId") DO NOTHING`,
        [keyId, this.teamId, next.token, issuedAt],
      );
    } else {
      await this.sql.execute(
        `UPDATE "ProviderToken" SET "token" = $1, "issuedAt" = $2, "teamId" = $3 WHERE "keyId" = $4 AND "token" = $5`,
        [next.token, issuedAt, this.teamId, keyId, expected],
      );
    }

    return (await this.get(keyId)) ?? next;
  }
}
