// Apple's rules for a campaign message, as errors (the campaign cannot be scheduled) and warnings,
// each on the form field it concerns. The APNs library's own checks come from building the
// message with the sender's builder (message-build.ts), re-pointed at form fields; the rules
// here are only those lib/apns cannot know: locales, unused fields, dates against "now"
// (docs/campaign-message.md lists them all).

import { PUSH_TYPE_RULES, type Issue } from "@/lib/apns/browser";
import { isLanguageTag, messageLocales } from "./locale";
import type { CampaignMessage } from "./message";
import { buildCampaignRequests, type CampaignRequestOptions } from "./message-build";
import { MESSAGE_FIELDS, MESSAGE_FIELD_LABELS, setFields } from "./message-fields";

export type MessageIssue = {
  /** The form field, e.g. "priority", "sound.volume", "localizations.fr.body"; "app" is the campaign's app. */
  path: string;
  message: string;
};

export type MessageLint = { errors: MessageIssue[]; warnings: MessageIssue[] };

export type LintOptions = Omit<CampaignRequestOptions, "locale"> & {
  /** For "expiration is in the past"; defaults to now. */
  now?: Date;
};

/** lib/apns issue fields → message field paths (Apple's `aps` names → the form's names). */
const FIELD_PATHS: Record<string, string> = {
  topic: "app",
  "aps.badge": "badge",
  "aps.sound": "sound",
  "aps.thread-id": "threadId",
  "aps.category": "category",
  "aps.content-available": "contentAvailable",
  "aps.mutable-content": "mutableContent",
  "aps.target-content-id": "targetContentId",
  "aps.interruption-level": "interruptionLevel",
  "aps.relevance-score": "relevanceScore",
  "aps.timestamp": "liveActivity.timestamp",
  "aps.event": "liveActivity.event",
  "aps.content-state": "liveActivity.contentState",
  "aps.stale-date": "liveActivity.staleDate",
  "aps.dismissal-date": "liveActivity.dismissalDate",
  "aps.attributes-type": "liveActivity.attributesType",
  "aps.attributes": "liveActivity.attributes",
  "aps.content-changed": "pushType",
};

const VISIBLE_FIELDS = ["title", "subtitle", "body", "badge", "sound"] as const;

/** Where a lib/apns issue belongs in the form; null drops it (a rule here says it better). */
function pathOf(issue: Issue, message: CampaignMessage): string | null {
  const { field } = issue;
  if (field === "aps.alert") {
    // lib/apns: an alert push that shows nothing; emptyAlert() below words it for the form.
    if (message.pushType === "alert") return null;
    const visible = VISIBLE_FIELDS.find((key) => setFields(message).includes(key));

    return visible ?? "pushType";
  }
  if (field === "aps.sound" && /volume/.test(issue.message)) return "sound.volume";
  if (field === "aps.sound" && /file name/.test(issue.message)) return "sound.name";
  if (field === "aps.event" && /ignored/.test(issue.message)) return "liveActivity";
  // No Live Activity fields at all: liveActivity() below says so once.
  if (field.startsWith("aps.") && message.pushType === "liveactivity" && !message.liveActivity) {
    return null;
  }

  return FIELD_PATHS[field] ?? field;
}

/** Errors and warnings for a message, worded for the person composing it. */
export function lintMessage(message: CampaignMessage, options: LintOptions): MessageLint {
  const lint: MessageLint = { errors: [], warnings: [] };
  const seen = new Set<string>();
  const add = (severity: "error" | "warning", path: string, text: string) => {
    const key = `${path}\n${text}`;
    if (seen.has(key)) return;
    seen.add(key);
    (severity === "error" ? lint.errors : lint.warnings).push({ path, message: text });
  };

  const requests = buildCampaignRequests(message, options);
  for (const issue of requests[0].issues) {
    const path = pathOf(issue, message);
    if (path !== null && issue.field !== "payload") add(issue.severity, path, issue.message);
  }
  payloadSize(requests, add);
  emptyAlert(message, add);
  liveActivity(message, add);
  localizations(message, add);
  unusedFields(message, seen, add);
  if (
    message.expiration !== null &&
    Date.parse(message.expiration) <= (options.now ?? new Date()).getTime()
  ) {
    add("error", "expiration", "expiration is in the past: nothing would be delivered");
  }

  return lint;
}

type Add = (severity: "error" | "warning", path: string, text: string) => void;

/** The largest request (the longest locale's text) decides, and the message names its locale. */
function payloadSize(requests: ReturnType<typeof buildCampaignRequests>, add: Add): void {
  const largest = requests.reduce((a, b) => (b.size > a.size ? b : a));
  const issue = largest.issues.find((candidate) => candidate.field === "payload");
  if (!issue) return;
  const over = requests.filter((request) => request.size > request.limit).length - 1;
  const which =
    requests.length === 1
      ? ""
      : largest.locale === null
        ? " with the default text"
        : ` with the "${largest.locale}" text`;
  const more =
    over > 0 ? ` (and ${over} more ${over === 1 ? "text" : "texts"} over the limit)` : "";
  add(issue.severity, "payload", `${issue.message}${which}${more}`);
}

function emptyAlert(message: CampaignMessage, add: Add): void {
  if (message.pushType !== "alert" || message.title || message.body) return;
  // A badge-only push (say, clearing every badge) is legitimate; a sound alone is not a message.
  if (message.badge !== null) {
    add("warning", "body", "no title or body: this push only changes the badge");
  } else {
    add("error", "body", "alert pushes need a title or a body");
  }
}

function liveActivity(message: CampaignMessage, add: Add): void {
  if (message.pushType === "liveactivity" && message.liveActivity === null) {
    add(
      "error",
      "liveActivity",
      "Live Activity pushes need an event, content-state and a timestamp",
    );
  }
}

function localizations(message: CampaignMessage, add: Add): void {
  if (!MESSAGE_FIELDS[message.pushType].includes("localizations")) return;
  const byTag = new Map<string, string>();
  for (const locale of messageLocales(message)) {
    const path = `localizations.${locale}`;
    const text = message.localizations[locale];
    const same = byTag.get(locale.replaceAll("_", "-").toLowerCase());
    byTag.set(locale.replaceAll("_", "-").toLowerCase(), locale);
    if (!isLanguageTag(locale)) {
      const hint = locale.includes("_") ? ` (write "${locale.replaceAll("_", "-")}")` : "";
      add("error", path, `"${locale}" is not a language tag such as fr or fr-CA${hint}`);
    } else if (same !== undefined) {
      add("error", path, `"${locale}" is the same locale as "${same}"`);
    }
    if (!text.title && !text.body) {
      add("error", path, `the "${locale}" text has no title or body`);
      continue;
    }
    for (const part of ["title", "subtitle"] as const) {
      if (message[part] && !text[part] && MESSAGE_FIELDS[message.pushType].includes(part)) {
        add(
          "warning",
          `${path}.${part}`,
          `the default text has a ${part}; "${locale}" devices will show none`,
        );
      }
    }
  }
}

/** A field the push type does not use is still sent; the device ignores it. */
function unusedFields(message: CampaignMessage, seen: Set<string>, add: Add): void {
  const label = PUSH_TYPE_RULES[message.pushType].label;
  for (const field of setFields(message)) {
    if (MESSAGE_FIELDS[message.pushType].includes(field)) continue;
    if ([...seen].some((key) => key.startsWith(`${field}\n`) || key.startsWith(`${field}.`)))
      continue;
    add(
      "warning",
      field,
      `${label} pushes do not use ${MESSAGE_FIELD_LABELS[field]}; the device ignores it`,
    );
  }
}
