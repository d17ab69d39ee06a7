// The HEADERS frame (and any CONTINUATION frames) of one APNs request, HPACK-encoded the way Apple
// asks (docs/apns.md §2): :path and authorization literal, apns-id / apns-expiration /
// apns-collapse-id indexed by name only, everything else indexed.

import type { ByteWriter } from "./h2/byte-writer";
import { FLAG, FRAME } from "./h2/frames";
import { FieldsSnapshot, type Fields } from "./fields-snapshot";
import { HpackEncoder, type IndexPolicy } from "./h2/hpack";

/** One POST /3/device/<token>. `headers` (the apns-* headers) is usually shared by a whole campaign. */
export type ApnsRequest = {
  path: string;
  headers: Readonly<Record<string, string | number | undefined>>;
  apnsId: string;
  authorization?: string;
};

/** Apple's HPACK guidance: these values are new on (almost) every request. */
const NAME_ONCE = new Set(["apns-id", "apns-expiration", "apns-collapse-id"]);
/** Cache key for the fields every request on a connection starts with. */
const CONNECTION_FIELDS = {};

/** One per connection: HPACK state belongs to the connection. */
export class RequestHeaderWriter {
  readonly #encoder = new HpackEncoder();
  readonly #fieldBytes = new WeakMap<
    object,
    { generation: number; bytes: Buffer; fields: FieldsSnapshot | null }
  >();
  readonly #authority: string;

  constructor(authority: string) {
    this.#authority = authority;
  }

  /** The peer's SETTINGS_HEADER_TABLE_SIZE. */
  setPeerTableSize(size: number): void {
    this.#encoder.setPeerTableSize(size);
  }

  write(
    out: ByteWriter,
    streamId: number,
    request: ApnsRequest,
    endStream: boolean,
    maxFrameSize: number,
  ): void {
    const encoder = this.#encoder;
    const flags = FLAG.END_HEADERS | (endStream ? FLAG.END_STREAM : 0);
    const at = out.frameHeader(0, FRAME.HEADERS, flags, streamId);
    const start = out.pos;
    encoder.beginBlock(out);
    this.#cachedFields(out, CONNECTION_FIELDS, () => {
      encoder.staticIndexed(out, 3); // :method: POST
      encoder.staticIndexed(out, 7); // :scheme: https
      encoder.field(out, ":authority", this.#authority, "index");
    });
    encoder.field(out, ":path", request.path, "literal");
    if (request.authorization) {
      encoder.field(out, "authorization", request.authorization, "literal");
    }
    encoder.field(out, "apns-id", request.apnsId, "name-once");
    const headers = request.headers;
    this.#cachedFields(out, headers, () => {
      for (const name in headers) {
        const value = headers[name];
        if (value === undefined || name === "apns-id" || name === "authorization") continue;
        if (name[0] === ":") continue;
        const policy: IndexPolicy = NAME_ONCE.has(name) ? "name-once" : "index";
        encoder.field(out, name.toLowerCase(), String(value), policy);
      }
    });
    const length = out.pos - start;
    if (length <= maxFrameSize) return out.u24At(at, length);
    // A block larger than one frame continues in CONTINUATION frames (RFC 9113 §6.10).
    out.u24At(at, maxFrameSize);
    out.flagsAt(at, flags & ~FLAG.END_HEADERS);
    let cursor = start + maxFrameSize;
    for (let rest = length - maxFrameSize; rest > 0;) {
      const size = Math.min(rest, maxFrameSize);
      rest -= size;
      out.openGap(cursor, 9);
      const last = rest === 0 ? FLAG.END_HEADERS : 0;
      out.frameHeaderAt(cursor, size, FRAME.CONTINUATION, last, streamId);
      cursor += 9 + size;
    }
  }

  /**
   * Fields that encode the same way for every request (a campaign shares one headers object) are
   * copied from their last encoding while the HPACK table is as it was then; an encoding that
   * changed the table (added an entry) is not reusable and is done again next time, and so is one
   * whose headers object was changed since (fields-snapshot.ts).
   */
  #cachedFields(out: ByteWriter, key: Fields, encode: () => void): void {
    const generation = this.#encoder.table.generation;
    const cached = this.#fieldBytes.get(key);
    if (cached && cached.generation === generation && (cached.fields?.matches(key) ?? true)) {
      return out.bytes(cached.bytes);
    }
    const from = out.pos;
    encode();
    if (this.#encoder.table.generation === generation) {
      this.#fieldBytes.set(key, {
        generation,
        bytes: out.copy(from, out.pos),
        fields: key === CONNECTION_FIELDS ? null : new FieldsSnapshot(key),
      });
    }
  }
}
