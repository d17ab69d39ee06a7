// Which localization a device gets: BCP 47 lookup (RFC 4647 §3.4), the rule the issue names:
// fr-CA → fr-CA, then fr, then the default text. Isomorphic (docs/campaign-message.md).

import type { CampaignMessage } from "./message";

/** iOS reports "fr_CA" and sometimes "en_US@calendar=…"; BCP 47 writes "fr-CA". */
function normalize(tag: string): string {
  return tag.split("@")[0].trim().replaceAll("_", "-").toLowerCase();
}

/**
 * The entry of `available` a device with `deviceLocale` gets, spelled as in `available`, or null
 * for the default text. Case-insensitive; `_` counts as `-`; subtags are dropped from the right
 * (zh-Hant-TW → zh-Hant → zh), skipping a single-letter subtag left dangling (as RFC 4647 says).
 */
export function resolveLocale(
  deviceLocale: string | null,
  available: readonly string[],
): string | null {
  if (!deviceLocale) return null;
  const byTag = new Map<string, string>();
  for (const tag of available) {
    const key = normalize(tag);
    if (!byTag.has(key)) byTag.set(key, tag);
  }
  const subtags = normalize(deviceLocale).split("-").filter(Boolean);
  while (subtags.length > 0) {
    const found = byTag.get(subtags.join("-"));
    if (found !== undefined) return found;
    subtags.pop();
    if (subtags.length > 1 && subtags.at(-1)!.length === 1) subtags.pop();
  }

  return null;
}

/** The message's locales, in the order the author added them. */
export function messageLocales(message: Pick<CampaignMessage, "localizations">): string[] {
  return Object.keys(message.localizations);
}

/** A well-formed BCP 47 language tag ("fr", "fr-CA", "zh-Hant-TW"); "fr_CA" is not one. */
export function isLanguageTag(tag: string): boolean {
  if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return false;
  try {
    Intl.getCanonicalLocales(tag);

    return true;
  } catch {
    return false;
  }
}
