// The composer's per-keystroke work, timed in Node: a 4 KB message with 10 localizations, one
// character typed at a time. Each keystroke parses the form values (campaignMessageSchema), lints
// the message (which builds all 11 texts' requests) and computes the preview of every text.
// The target is < 16 ms a keystroke in the browser (docs/campaign-message.md).
// Usage: npm run bench:preview -- [keystrokes]

import { campaignMessageSchema, type CampaignMessageInput } from "@/lib/campaigns/message";
import { lintMessage } from "@/lib/campaigns/message-lint";
import { previewModel } from "@/lib/campaigns/message-preview";

const LOCALES = ["fr", "fr-CA", "de", "es", "it", "pt-BR", "ja", "zh-Hant", "ar", "ru"];

/** Text that fills a payload to about `bytes` UTF-8 bytes, in a mix of 1-, 2- and 3-byte letters. */
function filler(bytes: number, seed: number): string {
  const words = ["soldes", "größe", "día", "セール", "折扣", "تخفيض", "скидка", "promo"];
  let text = "";
  for (let i = seed; new TextEncoder().encode(text).length < bytes; i++) {
    text += `${words[i % words.length]} `;
  }

  return text.trim();
}

const DEFAULT_BODY = filler(3500, 0);
const LOCALIZATIONS = Object.fromEntries(
  LOCALES.map((locale, i) => [
    locale,
    { title: `Sale ${locale}`, subtitle: "…", body: filler(3600, i + 1) },
  ]),
);

/** The form values after a keystroke: a fresh object, as react-hook-form hands over. */
function message(typed: string): CampaignMessageInput {
  return {
    pushType: "alert",
    title: "Spring sale",
    subtitle: "This week only",
    body: DEFAULT_BODY + typed,
    badge: 1,
    sound: "default",
    threadId: "spring-sale",
    data: { deeplink: "app://sale/spring", campaign: 42, tags: ["sale", "spring"] },
    localizations: structuredClone(LOCALIZATIONS),
    priority: 10,
    expiration: "2099-12-24T00:00:00Z",
    collapseId: "spring-sale",
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

function main() {
  const keystrokes = Number(process.argv[2] ?? 2000);
  const options = { appName: "Example", bundleId: "com.example.app" };
  const times = { all: [] as number[], lintAndOne: [] as number[] };
  let size = 0;
  let typed = "";
  for (let i = 0; i < keystrokes + 200; i++) {
    typed = typed.length > 60 ? "" : typed + "abcdefghij"[i % 10];
    const input = message(typed);
    const start = performance.now();
    const parsed = campaignMessageSchema.parse(input);
    const lint = lintMessage(parsed, options);
    const first = previewModel(parsed, { ...options, locale: null });
    const lintAndOne = performance.now() - start;
    for (const locale of LOCALES) previewModel(parsed, { ...options, locale });
    const all = performance.now() - start;
    if (i < 200) continue; // warm-up: let the JIT settle
    times.all.push(all);
    times.lintAndOne.push(lintAndOne);
    size = Math.max(size, first.request.size);
    if (lint.errors.length > 0)
      throw new Error(`unexpected lint errors: ${JSON.stringify(lint.errors)}`);
  }
  const line = (name: string, values: number[]) => {
    const sorted = values.slice().sort((a, b) => a - b);
    const f = (ms: number) => `${ms.toFixed(2)} ms`;
    console.log(
      `${name.padEnd(44)} median ${f(percentile(sorted, 50))}  p95 ${f(percentile(sorted, 95))}  max ${f(sorted.at(-1)!)}`,
    );
  };
  console.log(
    `${keystrokes} keystrokes, default payload up to ${size} bytes, ${LOCALES.length} locales (Node ${process.version})`,
  );
  line("parse + lint (11 requests) + 1 preview", times.lintAndOne);
  line("parse + lint (11 requests) + 11 previews", times.all);
}

main();
