// Checks on the `aps` dictionary and the payload size, per push type
// ("Generating a remote notification", ActivityKit and WidgetKit push pages; docs/apns.md §6).
// Pure and isomorphic; messages are for the person composing the push.

import { formatCount } from "./header-checks";
import { LIVE_ACTIVITY_KEYS, type Aps, type Issue } from "./payload-types";
import { PUSH_TYPE_RULES, type PushType } from "./push-types";

const INTERRUPTION_LEVELS = ["passive", "active", "time-sensitive", "critical"];

const isWholeNumber = (v: unknown): v is number =>
  typeof v === "number" && Number.isInteger(v) && v >= 0;
const isUnitInterval = (v: unknown) => typeof v === "number" && v >= 0 && v <= 1;

/** Apple counts bytes of the UTF-8 body: 4096, or 5120 for VoIP (PayloadTooLarge). */
export function checkSize(size: number, limit: number): Issue[] {
  if (size === 0) return [{ severity: "error", field: "payload", message: "the payload is empty" }];
  if (size > limit) {
    return [
      {
        severity: "error",
        field: "payload",
        message: `payload is ${formatCount(size)} of ${formatCount(limit)} bytes`,
      },
    ];
  }

  return [];
}

export function checkAps(pushType: PushType, aps: Aps): Issue[] {
  const issues: Issue[] = [];
  const error = (field: string, message: string) =>
    issues.push({ severity: "error", field: `aps.${field}`, message });
  const warn = (field: string, message: string) =>
    issues.push({ severity: "warning", field: `aps.${field}`, message });
  const label = PUSH_TYPE_RULES[pushType].label;
  const visible = aps.alert !== undefined || aps.badge !== undefined || aps.sound !== undefined;

  if (aps.badge !== undefined && !isWholeNumber(aps.badge)) {
    error("badge", "badge must be a whole number, 0 or more (0 clears it)");
  }
  if (typeof aps.sound === "object" && aps.sound !== null) {
    warn("sound", "critical sound needs Apple's critical-alerts entitlement");
    if (aps.sound.critical !== 1) error("sound", "a critical sound must set critical to 1");
    if (!aps.sound.name) error("sound", 'a critical sound needs a file name (or "default")');
    if (aps.sound.volume !== undefined && !isUnitInterval(aps.sound.volume)) {
      error("sound", "critical sound volume must be between 0 and 1");
    }
  }
  if (aps["content-available"] !== undefined && aps["content-available"] !== 1) {
    error("content-available", "content-available can only be 1");
  }
  if (aps["mutable-content"] !== undefined && aps["mutable-content"] !== 1) {
    error("mutable-content", "mutable-content can only be 1");
  } else if (aps["mutable-content"] === 1 && aps.alert === undefined) {
    warn(
      "mutable-content",
      "mutable-content only runs the app's extension for pushes that show an alert",
    );
  }
  const level = aps["interruption-level"];
  if (level !== undefined && !INTERRUPTION_LEVELS.includes(level)) {
    error(
      "interruption-level",
      "interruption level must be passive, active, time-sensitive or critical",
    );
  } else if (level === "critical") {
    warn(
      "interruption-level",
      "critical interruption level needs Apple's critical-alerts entitlement",
    );
  } else if (level === "time-sensitive") {
    warn(
      "interruption-level",
      "time-sensitive interruption level needs the app's Time Sensitive capability",
    );
  }
  if (aps["relevance-score"] !== undefined && !isUnitInterval(aps["relevance-score"])) {
    error("relevance-score", "relevance score must be between 0 and 1");
  }

  switch (pushType) {
    case "alert":
      if (!visible)
        warn("alert", "this alert push shows nothing: add a title, body, badge or sound");
      break;
    case "background":
      // Apple: a background update carries content-available only and must not alert.
      if (aps["content-available"] !== 1)
        error("content-available", "background pushes need content-available set to 1");
      if (visible)
        warn("alert", "background pushes are silent: the alert, badge and sound will not show");
      break;
    case "liveactivity":
      checkLiveActivity(aps, error, warn);
      break;
    case "widgets":
    case "controls":
      if (aps["content-changed"] !== true)
        error("content-changed", `${label} pushes need content-changed set to true`);
      break;
  }
  if (pushType !== "liveactivity" && LIVE_ACTIVITY_KEYS.some((key) => aps[key] !== undefined)) {
    warn("event", `Live Activity fields are ignored on ${label} pushes`);
  }

  return issues;
}

type Report = (field: string, message: string) => void;

function checkLiveActivity(aps: Aps, error: Report, warn: Report): void {
  const event = aps.event;
  if (event !== "start" && event !== "update" && event !== "end") {
    error("event", "Live Activity pushes need an event: start, update or end");
  }
  if (aps.timestamp === undefined) {
    error("timestamp", "Live Activity pushes need a timestamp (the device drops older updates)");
  } else if (!isWholeNumber(aps.timestamp)) {
    error("timestamp", "timestamp must be whole seconds since 1970");
  } else if (aps.timestamp > 1e11) {
    warn("timestamp", "timestamp looks like milliseconds; Apple expects seconds");
  }
  if ((event === "start" || event === "update") && aps["content-state"] === undefined) {
    error("content-state", `a Live Activity ${event} needs content-state`);
  }
  if (event === "start" && (aps["attributes-type"] === undefined || aps.attributes === undefined)) {
    error("attributes", "starting a Live Activity needs attributes-type and attributes");
  }
  if (event !== "end" && aps["dismissal-date"] !== undefined) {
    warn("dismissal-date", "dismissal date only applies when the Live Activity ends");
  }
  if (
    event !== "start" &&
    (aps["input-push-token"] !== undefined || aps["input-push-channel"] !== undefined)
  ) {
    warn(
      "input-push-token",
      "input-push-token and input-push-channel only apply when a Live Activity starts",
    );
  }
}
