// HPACK's static Huffman code (RFC 7541 §5.2, Appendix B). The code is canonical: codes are
// assigned in order of (bit length, symbol), so the 257 bit lengths below define it entirely.
// We only decode (servers Huffman-encode their response headers); we
// send plain literals, which every HPACK decoder accepts.

/** Bit length of the code of each symbol 0..255 and EOS (256), from RFC 7541 Appendix B. */
// prettier-ignore
const CODE_LENGTHS = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28,
  28, 28, 28, 28, 28, 28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5,
  6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10, 13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, 15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6,
  7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, 20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23,
  23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, 22, 21, 20, 22,
  22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22,
  23, 22, 22, 23, 26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27,
  27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25,
  24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, 30,
];

const EOS = 256;

/** [code, bit length] of each symbol: canonical codes, assigned in (length, symbol) order. */
const CODES: [number, number][] = new Array(CODE_LENGTHS.length);
{
  const order = CODE_LENGTHS.map((_, symbol) => symbol).sort(
    (a, b) => CODE_LENGTHS[a] - CODE_LENGTHS[b] || a - b,
  );
  let code = 0;
  let length = CODE_LENGTHS[order[0]];
  for (const symbol of order) {
    // Longer codes continue from the next shorter one shifted left (RFC 7541 Appendix B's table).
    code *= 2 ** (CODE_LENGTHS[symbol] - length);
    length = CODE_LENGTHS[symbol];
    CODES[symbol] = [code++, length];
  }
}

/** The code of each symbol, for tests and diagnostics: [code, bit length]. */
export function huffmanCode(symbol: number): [number, number] {
  return CODES[symbol];
}

export class HuffmanError extends Error {}

// Decoding walks a binary tree of the code a nibble at a time (as nghttp2 does): for each
// internal node and each 4-bit value, the node reached and the symbol emitted on the way (no code
// is shorter than 5 bits, so at most one). Built once at load from the canonical code.
const tree: { child: [number, number]; symbol: number; depth: number; ones: boolean }[] = [
  { child: [-1, -1], symbol: -1, depth: 0, ones: true },
];
for (let symbol = 0; symbol <= EOS; symbol++) {
  const [code, length] = huffmanCode(symbol);
  let node = 0;
  for (let bit = length - 1; bit >= 0; bit--) {
    const b = (code >> bit) & 1;
    if (tree[node].child[b] === -1) {
      tree[node].child[b] = tree.length;
      tree.push({
        child: [-1, -1],
        symbol: -1,
        depth: tree[node].depth + 1,
        ones: tree[node].ones && b === 1,
      });
    }
    node = tree[node].child[b];
  }
  tree[node].symbol = symbol;
}
/** Per (node, nibble): next node, or -1 for a decoding error (EOS or no such code). */
const NEXT = new Int16Array(tree.length * 16);
/** Per (node, nibble): the symbol emitted, or -1. */
const EMIT = new Int16Array(tree.length * 16);
for (let node = 0; node < tree.length; node++) {
  for (let nibble = 0; nibble < 16; nibble++) {
    let at = node;
    let emitted = -1;
    for (let bit = 3; bit >= 0 && at !== -1; bit--) {
      at = tree[at].child[(nibble >> bit) & 1];
      if (at !== -1 && tree[at].symbol !== -1) {
        emitted = tree[at].symbol === EOS ? -2 : tree[at].symbol;
        at = emitted === -2 ? -1 : 0;
      }
    }
    NEXT[node * 16 + nibble] = at;
    EMIT[node * 16 + nibble] = emitted;
  }
}
/** Nodes where a string may end: the root, or up to 7 bits of EOS's leading 1s (§5.2 padding). */
const ACCEPTING = tree.map((n) => n.ones && n.depth <= 7);

/**
 * Decode a Huffman-coded string literal. Rejects what RFC 7541 §5.2 calls a decoding error: an EOS
 * symbol in the data, or padding longer than 7 bits or not made of the EOS code's leading 1s.
 */
export function huffmanDecode(data: Uint8Array, start: number, end: number): string {
  const out = Buffer.allocUnsafe(Math.ceil(((end - start) * 8) / 5));
  let written = 0;
  let node = 0;
  for (let i = start; i < end; i++) {
    const byte = data[i];
    for (let shift = 4; shift >= 0; shift -= 4) {
      const at = node * 16 + ((byte >> shift) & 0xf);
      const symbol = EMIT[at];
      if (symbol === -2) throw new HuffmanError("EOS symbol inside a Huffman string");
      node = NEXT[at];
      if (node === -1) throw new HuffmanError("invalid Huffman code");
      if (symbol >= 0) out[written++] = symbol;
    }
  }
  if (!ACCEPTING[node]) throw new HuffmanError("invalid Huffman padding");

  return out.toString("latin1", 0, written);
}
