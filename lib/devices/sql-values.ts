/**
 * Helpers for multi-row statements written once for both databases. Both accept `$n` placeholders
 * (lib/db/sql.ts rewrites them for SQLite) and a multi-row VALUES list; PostgreSQL caps a statement
 * at 65,535 parameters and SQLite at 32,766, so callers chunk rows (ROWS_PER_STATEMENT).
 */
export const ROWS_PER_STATEMENT = 500;

// Batches reuse a handful of shapes (a full chunk and one remainder); building a 7,000-placeholder
// string per chunk showed up in profiles, so each shape is built once.
const valuesListCache = new Map<string, string>();

/** `($1, $2), ($3, $4)` for `rows` rows of `width` columns, numbering from `start`. */
export function valuesList(rows: number, width: number, start = 1): string {
  const cacheKey = `${rows}:${width}:${start}`;
  const cached = valuesListCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const text = buildValuesList(rows, width, start);
  if (valuesListCache.size < 256) valuesListCache.set(cacheKey, text);

  return text;
}

function buildValuesList(rows: number, width: number, start: number): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < width; c++) cells.push(`$${start + r * width + c}`);
    out.push(`(${cells.join(", ")})`);
  }

  return out.join(", ");
}

/** `$1, $2, …` for an IN list. */
export function placeholders(count: number, start = 1): string {
  return Array.from({ length: count }, (_, i) => `$${start + i}`).join(", ");
}

export function chunk<T>(items: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));

  return out;
}
