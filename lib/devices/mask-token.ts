/**
 * Marketing (and any caller without `devices.reveal-token`) sees tokens masked: enough to tell
 * devices apart in a table, not enough to send to them.
 */
export const MASK_VISIBLE = 6;

export function maskToken(token: string): string {
  if (token.length <= MASK_VISIBLE * 2) return "•".repeat(token.length);

  return `${token.slice(0, MASK_VISIBLE)}…${token.slice(-MASK_VISIBLE)}`;
}
