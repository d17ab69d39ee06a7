import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ProviderTokenStore, StoredProviderToken } from "@/lib/apns";
import { dataDir } from "@/lib/db/config";

/**
 * Provider tokens shared between CLI runs through a file in the data folder: APNs answers
 * TooManyProviderTokenUpdates when a key's token changes within 20 minutes, and every `send` is a
 * new process (docs/apns.md §3). The server shares its tokens through the database instead.
 */
export class FileProviderTokenStore implements ProviderTokenStore {
  private readonly file = path.join(dataDir(), "cli-provider-tokens.json");

  private read(): Record<string, StoredProviderToken> {
    try {
      return JSON.parse(readFileSync(this.file, "utf8"));
    } catch {
      return {};
    }
  }

  async get(keyId: string): Promise<StoredProviderToken | null> {
    return this.read()[keyId] ?? null;
  }

  async compareAndSet(
    keyId: string,
    expected: string | null,
    next: StoredProviderToken,
  ): Promise<StoredProviderToken> {
    const all = this.read();
    if ((all[keyId]?.token ?? null) !== expected) return all[keyId]!;
    all[keyId] = next;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}`;
    writeFileSync(temp, JSON.stringify(all), { mode: 0o600 });
    renameSync(temp, this.file);

    return next;
  }
}
