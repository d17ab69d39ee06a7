// HPACK's static table (RFC 7541 Appendix A) and the dynamic table both sides keep (§2.3, §4).

// prettier-ignore
export const STATIC_TABLE: readonly (readonly [string, string])[] = [
  [":authority", ""], [":method", "GET"], [":method", "POST"], [":path", "/"],
  [":path", "/index.html"], [":scheme", "http"], [":scheme", "https"], [":status", "200"],
  [":status", "204"], [":status", "206"], [":status", "304"], [":status", "400"],
  [":status", "404"], [":status", "500"], ["accept-charset", ""],
  ["accept-encoding", "gzip, deflate"], ["accept-language", ""], ["accept-ranges", ""],
  ["accept", ""], ["access-control-allow-origin", ""], ["age", ""], ["allow", ""],
  ["authorization", ""], ["cache-control", ""], ["content-disposition", ""],
  ["content-encoding", ""], ["content-language", ""], ["content-length", ""],
  ["content-location", ""], ["content-range", ""], ["content-type", ""], ["cookie", ""],
  ["date", ""], ["etag", ""], ["expect", ""], ["expires", ""], ["from", ""], ["host", ""],
  ["if-match", ""], ["if-modified-since", ""], ["if-none-match", ""], ["if-range", ""],
  ["if-unmodified-since", ""], ["last-modified", ""], ["link", ""], ["location", ""],
  ["max-forwards", ""], ["proxy-authenticate", ""], ["proxy-authorization", ""], ["range", ""],
  ["referer", ""], ["refresh", ""], ["retry-after", ""], ["server", ""], ["set-cookie", ""],
  ["strict-transport-security", ""], ["transfer-encoding", ""], ["user-agent", ""], ["vary", ""],
  ["via", ""], ["www-authenticate", ""],
];

/** HPACK's default (and our advertised) SETTINGS_HEADER_TABLE_SIZE. */
export const DEFAULT_TABLE_SIZE = 4096;

/**
 * How many octets a string stands for. §4.1: an entry's size is its name and value lengths in
 * octets plus 32, and both sides must agree to the octet. Our encoder writes UTF-8; our decoder
 * reads latin1 (one character per octet, whatever the bytes are), so each table counts its own way.
 */
export type OctetLength = (text: string) => number;

/** The encoder's strings go out as UTF-8. */
export const utf8Length: OctetLength = (text) => Buffer.byteLength(text, "utf8");
/** The decoder's strings were read as latin1: one character per octet. */
export const latin1Length: OctetLength = (text) => text.length;

type Entry = { name: string; value: string; size: number; seq: number };

/**
 * The dynamic table: newest entry has index 62 (right after the static table). Entries carry an
 * insertion number so the encoder can tell whether an entry it remembers is still present.
 */
export class DynamicTable {
  /** Oldest first from #head; evicted entries before #head are compacted away now and then. */
  #entries: Entry[] = [];
  #head = 0;
  #size = 0;
  #inserted = 0;
  #resizes = 0;
  maxSize: number;
  readonly #octets: OctetLength;

  constructor(octets: OctetLength, maxSize = DEFAULT_TABLE_SIZE) {
    this.#octets = octets;
    this.maxSize = maxSize;
  }

  get size(): number {
    return this.#size;
  }

  /** Changes on every insertion and resize: equal values mean an identical table. */
  get generation(): number {
    return this.#inserted + this.#resizes;
  }

  get length(): number {
    return this.#entries.length - this.#head;
  }

  /** Insertion number of the next entry. */
  get nextSeq(): number {
    return this.#inserted;
  }

  /** The entry at HPACK index `index` (62 and up), or undefined. */
  at(index: number): Entry | undefined {
    const back = index - STATIC_TABLE.length - 1;

    return back < this.length ? this.#entries[this.#entries.length - 1 - back] : undefined;
  }

  /** HPACK index of the entry inserted as number `seq`, or 0 when it has been evicted. */
  indexOfSeq(seq: number): number {
    const oldest = this.#inserted - this.length;
    if (seq < oldest || seq >= this.#inserted) return 0;

    return STATIC_TABLE.length + this.#inserted - seq;
  }

  /** Add an entry, evicting the oldest as needed; an entry larger than the table empties it (§4.4). */
  add(name: string, value: string): number {
    const size = this.#octets(name) + this.#octets(value) + 32;
    const seq = this.#inserted++;
    this.#evictTo(this.maxSize - size);
    if (size <= this.maxSize) {
      this.#entries.push({ name, value, size, seq });
      this.#size += size;
    }

    return seq;
  }

  resize(maxSize: number): void {
    this.#resizes++;
    this.maxSize = maxSize;
    this.#evictTo(maxSize);
  }

  #evictTo(limit: number): void {
    while (this.#size > Math.max(0, limit) && this.#head < this.#entries.length) {
      this.#size -= this.#entries[this.#head++].size;
    }
    // Responses evict an entry each (every apns-id is new): compact rarely, not per eviction.
    if (this.#head > 64 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }
}
