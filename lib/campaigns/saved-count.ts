import { systemActor } from "@/lib/access/authorize";
import type { SqlRunner } from "@/lib/db/sql";
import { toApiEnvironment } from "@/lib/validations/device";
import type { Audience } from "./audience-schema";
import { countAudience } from "./audience";

/**
 * The audience's size stored with a campaign when it is saved or scheduled. The caller has already
 * authorized the save (campaigns.write / campaigns.send) and checked the app is within its reach;
 * counting is part of that save, so it runs as SYSTEM: a key with only campaigns:write may create a
 * campaign without campaigns:read. Counts through countAudience, the one audience SQL.
 */
export async function savedAudienceCount(
  target: { appId: string; environment: string; audience: Audience },
  sql?: SqlRunner,
): Promise<number> {
  const { count } = await countAudience(
    systemActor("campaigns"),
    {
      appId: target.appId,
      environment: toApiEnvironment(target.environment),
      audience: target.audience,
    },
    { sql },
  );

  return count;
}
