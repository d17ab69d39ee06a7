// What the composer's live preview shows for one locale: the notification as iOS would draw it
// on the lock screen and in a banner, and the exact request the dispatcher sends (the same
// buildCampaignRequest), with its curl equivalent. Pure and fast: it runs on every keystroke.

import type { ApnsHeaders, AuthKind } from "@/lib/apns/browser";
import { curlCommand, type CurlOptions } from "./curl";
import { messageLocales } from "./locale";
import type { CampaignMessage, CampaignPushType } from "./message";
import { buildCampaignRequest } from "./message-build";

/** Roughly what fits a lock-screen notification (343 pt wide, 15 pt text): iOS shows the title
 *  and subtitle on one line each and up to four lines of body, then an ellipsis. */
export const PREVIEW_LINE_CHARS = 42;
export const PREVIEW_BODY_LINES = 4;

export type PreviewOptions = {
  appName: string;
  bundleId: string;
  /** A localization key or a device locale ("fr-CA" falls back to "fr"); null: the default text. */
  locale?: string | null;
  environment?: CurlOptions["environment"];
  authKind?: AuthKind;
  deviceToken?: string;
  sentAt?: Date;
};

export type NotificationPreview = {
  appName: string;
  title: string;
  subtitle: string;
  body: string;
  /** True when the body (or title, subtitle) was cut to fit. */
  truncated: boolean;
  /** Notifications with the same thread-id are grouped together. */
  threadId: string | null;
  time: "now";
  sound: "none" | "default" | "named" | "critical";
  interruptionLevel: CampaignMessage["interruptionLevel"];
};

export type PreviewModel = {
  /** The localization shown, or null for the default text. */
  locale: string | null;
  /** The choices for the preview's locale picker: the default (null), then each localization. */
  locales: (string | null)[];
  /** null when this push shows no notification; `silentReason` says what it does instead. */
  notification: NotificationPreview | null;
  silentReason: string | null;
  /** The app icon's badge after this push: a number, 0 to clear, null to leave as it is. */
  badge: number | null;
  request: { headers: ApnsHeaders; body: string; size: number; limit: number };
  curl: string;
};

const SILENT: Record<CampaignPushType, string> = {
  alert: "This alert has no title or body: nothing is shown.",
  background: "A background push wakes the app for a short while; nothing is shown.",
  voip: "A VoIP push starts an incoming call in the app (CallKit); no notification is shown.",
  location: "A location push wakes the app's location extension; nothing is shown.",
  pushtotalk: "A Push to Talk push starts the channel's audio in the app; nothing is shown.",
  widgets: "A widget push reloads the app's widgets; nothing is shown.",
  complication: "A complication push updates the app's watch complication; nothing is shown.",
  fileprovider: "A File Provider push asks the app's File Provider to sync; nothing is shown.",
  liveactivity: "The Live Activity updates in place with its new content state (drawn by the app).",
};

/** Cut text to `lines` lines of about PREVIEW_LINE_CHARS characters, at a space, with "…". */
export function clampLines(text: string, lines: number): { text: string; truncated: boolean } {
  const chars = Array.from(text);
  let line = 0;
  let column = 0;
  for (let i = 0; i < chars.length; i++) {
    const newline = chars[i] === "\n";
    if (newline || column === PREVIEW_LINE_CHARS) {
      line++;
      column = 0;
    }
    if (line === lines) {
      const kept = chars.slice(0, i).join("");
      const space = kept.lastIndexOf(" ");
      const cut =
        !newline && space > kept.length - PREVIEW_LINE_CHARS / 2 ? kept.slice(0, space) : kept;

      return { text: `${cut.trimEnd()}…`, truncated: true };
    }
    if (!newline) column++;
  }

  return { text, truncated: false };
}

function soundKind(sound: CampaignMessage["sound"]): NotificationPreview["sound"] {
  if (sound === null) return "none";
  if (typeof sound === "object") return "critical";

  return sound === "default" ? "default" : "named";
}

export function previewModel(message: CampaignMessage, options: PreviewOptions): PreviewModel {
  const request = buildCampaignRequest(message, options);
  const alert = request.body.length > 0 ? alertOf(request.body) : undefined;
  const shows = (message.pushType === "alert" || message.pushType === "liveactivity") && alert;
  let notification: NotificationPreview | null = null;
  if (shows) {
    const title = clampLines(alert.title ?? "", 1);
    const subtitle = clampLines(alert.subtitle ?? "", 1);
    const body = clampLines(alert.body ?? "", PREVIEW_BODY_LINES);
    notification = {
      appName: options.appName,
      title: title.text,
      subtitle: subtitle.text,
      body: body.text,
      truncated: title.truncated || subtitle.truncated || body.truncated,
      threadId: message.threadId || null,
      time: "now",
      sound: soundKind(message.sound),
      interruptionLevel: message.interruptionLevel,
    };
  }
  const { headers, body, size, limit } = request;

  return {
    locale: request.locale,
    locales: [null, ...messageLocales(message)],
    notification,
    silentReason: notification ? null : SILENT[message.pushType],
    badge: message.badge,
    request: { headers, body, size, limit },
    curl: curlCommand(
      { headers, body },
      {
        environment: options.environment ?? "sandbox",
        authKind: options.authKind,
        deviceToken: options.deviceToken,
      },
    ),
  };
}

/** The alert text as sent: read back from the built body, so the preview shows the bytes. */
function alertOf(body: string): { title?: string; subtitle?: string; body?: string } | undefined {
  const alert = (JSON.parse(body) as { aps?: { alert?: unknown } }).aps?.alert;

  return alert && typeof alert === "object" ? alert : undefined;
}
