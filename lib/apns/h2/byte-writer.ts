// A growable output buffer for frames and HPACK blocks. The connection writes every frame of an
// event-loop turn into one ByteWriter and hands the socket a single buffer: one TLS record batch
// and one syscall instead of one per frame.

export class ByteWriter {
  #buf: Buffer;
  pos = 0;

  constructor(initialSize = 16 * 1024) {
    this.#buf = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written so far; the writer starts a fresh buffer (the socket keeps the old one). */
  take(): Buffer {
    const out = this.#buf.subarray(0, this.pos);
    this.#buf = Buffer.allocUnsafe(Math.max(16 * 1024, this.#buf.length));
    this.pos = 0;

    return out;
  }

  /** A copy of bytes already written. */
  copy(start: number, end: number): Buffer {
    return Buffer.from(this.#buf.subarray(start, end));
  }

  ensure(extra: number): void {
    if (this.pos + extra <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.pos + extra));
    this.#buf.copy(next, 0, 0, this.pos);
    this.#buf = next;
  }

  u8(value: number): void {
    this.ensure(1);
    this.#buf[this.pos++] = value;
  }

  u24At(offset: number, value: number): void {
    this.#buf[offset] = (value >>> 16) & 0xff;
    this.#buf[offset + 1] = (value >>> 8) & 0xff;
    this.#buf[offset + 2] = value & 0xff;
  }

  /** RFC 9113 §4.1: the 9-byte frame header. Returns its offset (to patch the length later). */
  frameHeader(length: number, type: number, flags: number, streamId: number): number {
    this.ensure(9);
    const at = this.pos;
    this.frameHeaderAt(at, length, type, flags, streamId);
    this.pos += 9;

    return at;
  }

  /** Write a frame header over 9 bytes already reserved at `at`. */
  frameHeaderAt(at: number, length: number, type: number, flags: number, streamId: number): void {
    this.u24At(at, length);
    this.#buf[at + 3] = type;
    this.#buf[at + 4] = flags;
    this.#buf.writeUInt32BE(streamId & 0x7fffffff, at + 5);
  }

  /** Set the flags byte of the frame header at `at`. */
  flagsAt(at: number, flags: number): void {
    this.#buf[at + 4] = flags;
  }

  u32(value: number): void {
    this.ensure(4);
    this.#buf.writeUInt32BE(value >>> 0, this.pos);
    this.pos += 4;
  }

  bytes(data: Uint8Array, start = 0, end = data.length): void {
    this.ensure(end - start);
    this.#buf.set(data.subarray(start, end), this.pos);
    this.pos += end - start;
  }

  /** Move bytes [from, pos) forward by `gap` bytes, opening a hole at `from` (for frame headers). */
  openGap(from: number, gap: number): void {
    this.ensure(gap);
    this.#buf.copy(this.#buf, from + gap, from, this.pos);
    this.pos += gap;
  }

  /** RFC 7541 §5.1: an integer with an N-bit prefix, the first byte's other bits set to `flags`. */
  hpackInt(value: number, prefixBits: number, flags: number): void {
    const max = (1 << prefixBits) - 1;
    this.ensure(6);
    if (value < max) {
      this.#buf[this.pos++] = flags | value;

      return;
    }
    this.#buf[this.pos++] = flags | max;
    let rest = value - max;
    while (rest >= 128) {
      this.#buf[this.pos++] = (rest % 128) + 128;
      rest = Math.floor(rest / 128);
    }
    this.#buf[this.pos++] = rest;
  }

  /** RFC 7541 §5.2: a string literal, sent without Huffman coding. */
  hpackString(value: string): void {
    const length = Buffer.byteLength(value);
    this.hpackInt(length, 7, 0);
    this.ensure(length);
    this.pos += this.#buf.write(value, this.pos, length, "utf8");
  }
}
