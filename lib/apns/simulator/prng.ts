// Seedable PRNG (mulberry32) so fault injection is reproducible from options.seed:
// a test that sees one 503 in a run sees the same 503 on every run.

export type Random = () => number;

export function createRandom(seed: number): Random {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
