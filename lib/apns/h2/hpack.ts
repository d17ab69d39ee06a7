// HPACK (RFC 7541) for an APNs client: an encoder that follows Apple's guidance on what to index,
// and a complete decoder (servers index and Huffman-code their response headers at will).

import type { ByteWriter } from "./byte-writer";
import {
  DEFAULT_TABLE_SIZE,
  DynamicTable,
  STATIC_TABLE,
  latin1Length,
  utf8Length,
} from "./hpack-table";
import { HuffmanError, huffmanDecode } from "./huffman";

export class HpackError extends Error {}

/**
 * How to encode one header field (docs/apns.md §2, Apple's HPACK guidance: keep APNs' small
 * dynamic table free of values that change with every request).
 * - `index`: reuse an identical entry, otherwise add it (topic, push type, priority, authority).
 * - `literal`: never add (:path, authorization — new on every request or too large to keep).
 * - `name-once`: add on first use so the *name* is in the table, then send literal values
 *   referring to that name (apns-id, apns-expiration, apns-collapse-id).
 */
export type IndexPolicy = "index" | "literal" | "name-once";

const STATIC_NAMES = new Map<string, number>();
const STATIC_PAIRS = new Map<string, number>();
STATIC_TABLE.forEach(([name, value], i) => {
  if (!STATIC_NAMES.has(name)) STATIC_NAMES.set(name, i + 1);
  if (value !== "") STATIC_PAIRS.set(`${name}\0${value}`, i + 1);
});

export class HpackEncoder {
  readonly table = new DynamicTable(utf8Length);
  /** Dynamic entries we added, by "name\0value" and by name: insertion numbers. */
  readonly #pairs = new Map<string, number>();
  readonly #names = new Map<string, number>();
  /** Size updates owed at the start of the next block (§4.2): the smallest since the last block, then the final one. */
  #smallestUpdate: number | null = null;
  #finalUpdate: number | null = null;

  /** The peer's SETTINGS_HEADER_TABLE_SIZE changed; we use at most our default either way. */
  setPeerTableSize(peerSize: number): void {
    const next = Math.min(peerSize, DEFAULT_TABLE_SIZE);
    if (next === this.table.maxSize && this.#finalUpdate === null) return;
    this.#smallestUpdate = Math.min(this.#smallestUpdate ?? next, next);
    this.#finalUpdate = next;
    this.table.resize(this.#smallestUpdate);
    this.table.resize(next);
  }

  /** Call once at the start of every header block. */
  beginBlock(out: ByteWriter): void {
    if (this.#finalUpdate === null) return;
    if (this.#smallestUpdate! < this.#finalUpdate) out.hpackInt(this.#smallestUpdate!, 5, 0x20);
    out.hpackInt(this.#finalUpdate, 5, 0x20);
    this.#smallestUpdate = this.#finalUpdate = null;
  }

  /** An entry of the static table, e.g. 3 for ":method: POST" or 7 for ":scheme: https". */
  staticIndexed(out: ByteWriter, index: number): void {
    out.hpackInt(index, 7, 0x80);
  }

  field(out: ByteWriter, name: string, value: string, policy: IndexPolicy): void {
    if (policy === "index") {
      const key = `${name}\0${value}`;
      const exact = STATIC_PAIRS.get(key) ?? this.#dynamicIndex(this.#pairs, key);
      if (exact) return out.hpackInt(exact, 7, 0x80);
      this.#withIndexing(out, name, value, key);

      return;
    }
    const nameIndex = this.#nameIndex(name);
    if (policy === "name-once" && nameIndex === 0) {
      this.#withIndexing(out, name, value, `${name}\0${value}`);

      return;
    }
    // Literal without indexing (§6.2.2).
    out.hpackInt(nameIndex, 4, 0x00);
    if (nameIndex === 0) out.hpackString(name);
    out.hpackString(value);
  }

  #withIndexing(out: ByteWriter, name: string, value: string, key: string): void {
    const nameIndex = this.#nameIndex(name);
    out.hpackInt(nameIndex, 6, 0x40);
    if (nameIndex === 0) out.hpackString(name);
    out.hpackString(value);
    const seq = this.table.add(name, value);
    this.#pairs.set(key, seq);
    this.#names.set(name, seq);
  }

  #nameIndex(name: string): number {
    return STATIC_NAMES.get(name) ?? this.#dynamicIndex(this.#names, name);
  }

  #dynamicIndex(map: Map<string, number>, key: string): number {
    const seq = map.get(key);
    if (seq === undefined) return 0;
    const index = this.table.indexOfSeq(seq);
    if (index === 0) map.delete(key);

    return index;
  }
}

export class HpackDecoder {
  readonly table = new DynamicTable(latin1Length);
  /** Our SETTINGS_HEADER_TABLE_SIZE: the most the server may size the table to. */
  readonly maxTableSize: number;
  /** Decoded octets per block beyond this are refused (a header list this large is an attack). */
  readonly maxListBytes: number;

  constructor(maxTableSize = DEFAULT_TABLE_SIZE, maxListBytes = 64 * 1024) {
    this.maxTableSize = maxTableSize;
    this.maxListBytes = maxListBytes;
  }

  /** Decode one complete header block; throws HpackError on anything malformed. */
  decode(block: Buffer, onField: (name: string, value: string) => void): void {
    const reader = { block, pos: 0 };
    let fields = 0;
    let listBytes = 0;
    while (reader.pos < block.length) {
      const first = block[reader.pos];
      let name: string;
      let value: string;
      if (first & 0x80) {
        // Indexed field (§6.1).
        const index = readInt(reader, 7);
        [name, value] = this.#entry(index);
      } else if ((first & 0xe0) === 0x20) {
        // Dynamic table size update (§6.3): only before the first field of a block.
        if (fields > 0) throw new HpackError("table size update after a header field");
        const size = readInt(reader, 5);
        if (size > this.maxTableSize) throw new HpackError("table size update above our limit");
        this.table.resize(size);
        continue;
      } else {
        // Literal: with incremental indexing (01), without (0000) or never indexed (0001).
        const indexing = (first & 0xc0) === 0x40;
        const nameIndex = readInt(reader, indexing ? 6 : 4);
        name = nameIndex === 0 ? readString(reader) : this.#entry(nameIndex)[0];
        value = readString(reader);
        if (indexing) this.table.add(name, value);
      }
      fields++;
      listBytes += name.length + value.length + 32;
      if (listBytes > this.maxListBytes) throw new HpackError("header list too large");
      onField(name, value);
    }
  }

  #entry(index: number): readonly [string, string] {
    if (index === 0) throw new HpackError("index 0");
    if (index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1];
    const entry = this.table.at(index);
    if (!entry) throw new HpackError(`index ${index} is not in the dynamic table`);

    return [entry.name, entry.value];
  }
}

type Reader = { block: Buffer; pos: number };

function readInt(reader: Reader, prefixBits: number): number {
  const { block } = reader;
  const max = (1 << prefixBits) - 1;
  let value = block[reader.pos++] & max;
  if (value < max) return value;
  let shift = 1;
  for (;;) {
    if (reader.pos >= block.length) throw new HpackError("truncated integer");
    const byte = block[reader.pos++];
    value += (byte & 0x7f) * shift;
    if ((byte & 0x80) === 0) return value;
    shift *= 128;
    // Nothing in a header block needs more than 2^28; larger is garbage or an attack.
    if (shift > 2 ** 28) throw new HpackError("integer too large");
  }
}

function readString(reader: Reader): string {
  const { block } = reader;
  if (reader.pos >= block.length) throw new HpackError("truncated string");
  const huffman = (block[reader.pos] & 0x80) !== 0;
  const length = readInt(reader, 7);
  const start = reader.pos;
  const end = start + length;
  if (end > block.length) throw new HpackError("truncated string");
  reader.pos = end;
  if (!huffman) return block.toString("latin1", start, end);
  try {
    return huffmanDecode(block, start, end);
  } catch (error) {
    if (error instanceof HuffmanError) throw new HpackError(error.message);
    throw error;
  }
}
