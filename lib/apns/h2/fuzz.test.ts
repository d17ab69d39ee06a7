// Fuzzing what the server controls: the frame reader, the HPACK decoder, the header block
// reassembly, and a whole connection answered with random and mutated frames. Inputs come from a
// seeded PRNG (simulator/prng.ts), so a failure names the seed and case that reproduce it.
// Properties: nothing but the component's own error type is ever thrown (H2ProtocolError,
// HpackError); well-formed input decodes exactly as an independent model says, whatever the
// chunking; state stays bounded (HPACK table within its size, buffered header blocks capped);
// every case ends promptly; a connection ends closed or usable with every request settled.

import { describe, expect, it } from "vitest";

import type { RawResult } from "../connection";
import { createRandom, type Random } from "../simulator/prng";
import { ResponseHeaderReader } from "../response-headers";
import { ERROR_CODE, FLAG, FRAME, FrameReader, H2ProtocolError, SETTING } from "./frames";
import { HpackDecoder, HpackError } from "./hpack";
import { STATIC_TABLE } from "./hpack-table";
import { huffmanCode } from "./huffman";
import {
  ScriptedPeer,
  TestClient,
  frame,
  goawayFrame,
  pingFrame,
  rstStreamFrame,
  settingsFrame,
  windowUpdateFrame,
  within,
  type PeerSession,
  type SentRequest,
} from "./scripted-peer";

const int = (random: Random, n: number) => Math.floor(random() * n);
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)];
function bytes(random: Random, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = int(random, 256);

  return out;
}
/** Small sizes mostly, now and then a large one. */
const size = (random: Random, max: number) =>
  random() < 0.8 ? int(random, Math.min(max, 40) + 1) : int(random, max + 1);

/** Run `body` and return what it threw (undefined if nothing). */
function thrown(body: () => void): unknown {
  try {
    body();
  } catch (error) {
    return error;
  }

  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Mutations of a valid encoding.

type Mutation = "flip" | "truncate" | "splice" | "length" | "insert" | "duplicate";
const MUTATIONS: readonly Mutation[] = [
  "flip",
  "truncate",
  "splice",
  "length",
  "insert",
  "duplicate",
];

function mutate(
  random: Random,
  input: Buffer,
  other: Buffer,
  kind = pick(random, MUTATIONS),
): Buffer {
  const data = Buffer.from(input);
  if (data.length === 0) return bytes(random, 1 + int(random, 8));
  const at = int(random, data.length);
  switch (kind) {
    case "flip":
      for (let i = 1 + int(random, 3); i > 0; i--)
        data[int(random, data.length)] ^= 1 << int(random, 8);

      return data;
    case "truncate":
      return data.subarray(0, at);
    case "splice":
      return Buffer.concat([data.subarray(0, at), other.subarray(int(random, other.length + 1))]);
    case "length":
      // A random length-like value (24-bit frame length, HPACK integer prefix) at a random spot.
      data[at] = pick(random, [0x00, 0x7f, 0xff, 0x80, 0x3f, 0x1f, int(random, 256)]);

      return data;
    case "insert":
      return Buffer.concat([
        data.subarray(0, at),
        bytes(random, 1 + int(random, 16)),
        data.subarray(at),
      ]);
    case "duplicate":
      return Buffer.concat([
        data.subarray(0, at),
        data.subarray(int(random, at + 1)),
        data.subarray(at),
      ]);
  }
}

/** Split `data` at up to 24 random points, now and then cutting its first bytes one by one. */
function chunks(random: Random, data: Buffer): Buffer[] {
  const cuts = new Set<number>();
  for (let k = int(random, 24); k > 0; k--) cuts.add(int(random, data.length + 1));
  if (random() < 0.3) for (let i = 1; i < Math.min(20, data.length); i++) cuts.add(i);
  const points = [0, ...[...cuts].sort((a, b) => a - b), data.length];

  return points.slice(1).map((end, i) => data.subarray(points[i], end));
}

// ---------------------------------------------------------------------------------------------
// FrameReader.

type Frame = { type: number; flags: number; streamId: number; payload: Buffer };

/** The frames in `data` as RFC 9113 §4.1 reads them: up to an oversized header (error) or the end. */
function referenceFrames(data: Buffer, maxFrameSize: number): { frames: Frame[]; error: boolean } {
  const frames: Frame[] = [];
  for (let pos = 0; data.length - pos >= 9;) {
    const length = data.readUIntBE(pos, 3);
    if (length > maxFrameSize) return { frames, error: true };
    if (data.length - pos < 9 + length) break;
    frames.push({
      type: data[pos + 3],
      flags: data[pos + 4],
      streamId: data.readUInt32BE(pos + 5) & 0x7fffffff,
      payload: Buffer.from(data.subarray(pos + 9, pos + 9 + length)),
    });
    pos += 9 + length;
  }

  return { frames, error: false };
}

function randomFrame(random: Random, maxFrameSize: number): Buffer {
  const payload = bytes(random, size(random, maxFrameSize));
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = random() < 0.8 ? int(random, 10) : int(random, 256);
  header[4] = int(random, 256);
  header.writeUInt32BE(random() < 0.5 ? int(random, 8) : int(random, 2 ** 32), 5);

  return Buffer.concat([header, payload]);
}

function sameFrames(a: Frame[], b: Frame[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (f, i) =>
        f.type === b[i].type &&
        f.flags === b[i].flags &&
        f.streamId === b[i].streamId &&
        f.payload.equals(b[i].payload),
    )
  );
}

/** Feed `data` in `parts` to a FrameReader; what it delivered and threw. */
function readFrames(parts: Buffer[], maxFrameSize: number): { frames: Frame[]; error: unknown } {
  const frames: Frame[] = [];
  const reader = new FrameReader(maxFrameSize, (type, flags, streamId, payload) =>
    frames.push({ type, flags, streamId, payload: Buffer.from(payload) }),
  );
  let error: unknown;
  for (const part of parts) {
    error = thrown(() => reader.push(part));
    if (error) break;
  }

  return { frames, error };
}

describe("FrameReader fuzz", () => {
  it("cuts random, mutated and spliced byte streams exactly as RFC 9113 §4.1 does, whatever the chunking", () => {
    const random = createRandom(0x5eed_f4a1);
    let slowest = 0;
    for (let n = 0; n < 4000; n++) {
      const maxFrameSize = pick(random, [16_384, 16_384, 100, 0]);
      const frames = Array.from({ length: 1 + int(random, 6) }, () =>
        randomFrame(random, Math.max(maxFrameSize, 1)),
      );
      let data: Buffer = Buffer.concat(frames);
      const kind = n % 4;
      if (kind === 1) data = mutate(random, data, Buffer.concat(frames.slice().reverse()));
      if (kind === 2) data = bytes(random, size(random, 2000));
      if (kind === 3) {
        data = mutate(random, mutate(random, data, randomFrame(random, 50)), data);
      }
      const started = performance.now();
      const reference = referenceFrames(data, maxFrameSize);
      const whole = readFrames([data], maxFrameSize);
      const split = readFrames(chunks(random, data), maxFrameSize);
      slowest = Math.max(slowest, performance.now() - started);
      for (const result of [whole, split]) {
        const error = result.error as H2ProtocolError | undefined;
        const ok =
          (error === undefined
            ? !reference.error
            : reference.error &&
              error instanceof H2ProtocolError &&
              error.code === ERROR_CODE.FRAME_SIZE_ERROR) &&
          sameFrames(result.frames, reference.frames) &&
          result.frames.every((f) => f.payload.length <= maxFrameSize && f.streamId < 2 ** 31);
        if (ok) continue;
        // Only a failing case pays for expect's diff.
        const context = `case ${n}, max ${maxFrameSize}, input ${data.toString("hex").slice(0, 120)}`;
        expect({ error: result.error, frames: result.frames }, context).toEqual({
          error: reference.error ? new H2ProtocolError(ERROR_CODE.FRAME_SIZE_ERROR, "") : undefined,
          frames: reference.frames,
        });
        expect.unreachable(`${context}: error or frame bounds`);
      }
    }
    expect(slowest, "slowest case (ms)").toBeLessThan(500);
  });

  it("rejects an oversized frame from its header alone, without buffering the payload", () => {
    const random = createRandom(17);
    for (let n = 0; n < 500; n++) {
      const max = 16_384;
      const length = max + 1 + int(random, 0xffffff - max);
      const header = Buffer.alloc(9);
      header.writeUIntBE(length, 0, 3);
      header[3] = int(random, 256);
      const parts = chunks(random, header);
      const { error } = readFrames(parts, max);
      expect(error, `length ${length}`).toBeInstanceOf(H2ProtocolError);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// HPACK: an independent model of the decoder's side (RFC 7541), and an encoder that uses every
// representation (indexed, the three literal kinds, Huffman or not, size updates).

type Field = [name: string, value: string];

/** The dynamic table as RFC 7541 §4 defines it; strings are latin1 (one char, one octet). */
class ModelTable {
  /** Newest first: entries[0] is index 62. */
  entries: Field[] = [];
  size = 0;

  constructor(public maxSize = 4096) {}

  static entrySize([name, value]: Field): number {
    return name.length + value.length + 32;
  }

  add(field: Field): void {
    const entrySize = ModelTable.entrySize(field);
    while (this.entries.length > 0 && this.size + entrySize > this.maxSize) this.#evict();
    if (entrySize > this.maxSize) return;
    this.entries.unshift(field);
    this.size += entrySize;
  }

  resize(maxSize: number): void {
    this.maxSize = maxSize;
    while (this.size > maxSize) this.#evict();
  }

  get(index: number): Field | undefined {
    if (index >= 1 && index <= STATIC_TABLE.length) return [...STATIC_TABLE[index - 1]];

    return this.entries[index - STATIC_TABLE.length - 1];
  }

  find(field: Field): number {
    const s = STATIC_TABLE.findIndex(([n, v]) => n === field[0] && v === field[1]);
    if (s !== -1) return s + 1;
    const d = this.entries.findIndex(([n, v]) => n === field[0] && v === field[1]);

    return d === -1 ? 0 : d + STATIC_TABLE.length + 1;
  }

  #evict(): void {
    this.size -= ModelTable.entrySize(this.entries.pop()!);
  }
}

function encodeInt(value: number, prefixBits: number, flags: number): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [flags | value];
  const out = [flags | max];
  let rest = value - max;
  while (rest >= 128) {
    out.push((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);

  return out;
}

function huffmanEncode(octets: Buffer): number[] {
  const out: number[] = [];
  let pending = 0;
  let bits = 0;
  for (const octet of octets) {
    const [code, length] = huffmanCode(octet);
    for (let i = length - 1; i >= 0; i--) {
      pending = (pending << 1) | ((code >>> i) & 1);
      if (++bits === 8) {
        out.push(pending);
        pending = bits = 0;
      }
    }
  }
  // Padding: the most significant bits of EOS, all ones (§5.2).
  if (bits > 0) out.push((pending << (8 - bits)) | ((1 << (8 - bits)) - 1));

  return out;
}

function encodeString(text: string, huffman: boolean): number[] {
  const octets = Buffer.from(text, "latin1");
  if (!huffman) return [...encodeInt(octets.length, 7, 0), ...octets];
  const coded = huffmanEncode(octets);

  return [...encodeInt(coded.length, 7, 0x80), ...coded];
}

/** Encodes fields with random representations, keeping its model of the peer's table in step. */
class ModelEncoder {
  readonly table = new ModelTable();

  constructor(readonly random: Random) {}

  /** One header block; `sizeUpdates` go first (§4.2). */
  block(fields: Field[], sizeUpdates: number[] = []): Buffer {
    const random = this.random;
    const out: number[] = [];
    for (const update of sizeUpdates) {
      out.push(...encodeInt(update, 5, 0x20));
      this.table.resize(update);
    }
    for (const field of fields) {
      const exact = this.table.find(field);
      if (exact && random() < 0.7) {
        out.push(...encodeInt(exact, 7, 0x80));
        continue;
      }
      const mode = pick(random, ["incremental", "without", "never"] as const);
      const [bits, flags] =
        mode === "incremental" ? [6, 0x40] : mode === "without" ? [4, 0] : [4, 0x10];
      const nameIndex = random() < 0.6 ? this.#nameIndex(field[0]) : 0;
      out.push(...encodeInt(nameIndex, bits, flags));
      if (nameIndex === 0) out.push(...encodeString(field[0], random() < 0.5));
      out.push(...encodeString(field[1], random() < 0.5));
      if (mode === "incremental") this.table.add(field);
    }

    return Buffer.from(out);
  }

  #nameIndex(name: string): number {
    const s = STATIC_TABLE.findIndex(([n]) => n === name);
    if (s !== -1) return s + 1;
    const d = this.table.entries.findIndex(([n]) => n === name);

    return d === -1 ? 0 : d + STATIC_TABLE.length + 1;
  }
}

function randomText(random: Random, maxLength: number): string {
  const length = size(random, maxLength);
  const kind = int(random, 3);
  const code = () =>
    kind === 0 ? 0x61 + int(random, 26) : kind === 1 ? 0x20 + int(random, 95) : int(random, 256);

  return String.fromCharCode(...Array.from({ length }, code));
}

function randomFields(random: Random, table: ModelTable): Field[] {
  return Array.from({ length: 1 + int(random, 8) }, (): Field => {
    const r = random();
    if (r < 0.25) return [...STATIC_TABLE[int(random, STATIC_TABLE.length)]] as Field;
    if (r < 0.45 && table.entries.length > 0) return [...pick(random, table.entries)] as Field;
    if (r < 0.6)
      return [pick(random, [":status", "apns-id", "retry-after"]), randomText(random, 40)];

    return [randomText(random, 20), randomText(random, random() < 0.1 ? 3000 : 200)];
  });
}

/** The decoder's dynamic table, read back through its public API. */
function decoderEntries(decoder: HpackDecoder): Field[] {
  const entries: Field[] = [];
  for (let i = 0; i < decoder.table.length; i++) {
    const entry = decoder.table.at(STATIC_TABLE.length + 1 + i)!;
    entries.push([entry.name, entry.value]);
  }

  return entries;
}

/** Bounds that hold after any decode, whatever the input. */
function expectBounded(decoder: HpackDecoder, emitted: Field[], context: string): void {
  // The size counts octets (§4.1): the decoder's strings are latin1, one char per octet.
  const octets = decoderEntries(decoder).reduce(
    (sum, field) => sum + ModelTable.entrySize(field),
    0,
  );
  const listOctets = emitted.reduce((sum, field) => sum + ModelTable.entrySize(field), 0);
  const observed = {
    maxSizeWithinOurLimit: decoder.table.maxSize <= decoder.maxTableSize,
    sizeWithinMax: decoder.table.size <= decoder.table.maxSize,
    sizeIsEntryOctets: decoder.table.size === octets,
    listWithinLimit: listOctets <= decoder.maxListBytes,
  };
  if (Object.values(observed).every(Boolean)) return;
  expect(
    { ...observed, size: decoder.table.size, octets, listOctets },
    `${context}: decoder state out of bounds (table size ${decoder.table.size}, entries' octets ${octets}, max ${decoder.table.maxSize}, list ${listOctets})`,
  ).toMatchObject({
    maxSizeWithinOurLimit: true,
    sizeWithinMax: true,
    sizeIsEntryOctets: true,
    listWithinLimit: true,
  });
}

function decodeAll(decoder: HpackDecoder, block: Buffer): { fields: Field[]; error: unknown } {
  const fields: Field[] = [];
  const error = thrown(() => decoder.decode(block, (name, value) => fields.push([name, value])));

  return { fields, error };
}

describe("HPACK decoder fuzz", () => {
  it("decodes every representation exactly as the RFC 7541 model does, table in step, across 300 connections", () => {
    const random = createRandom(0x4ac4);
    let blocks = 0;
    for (let connection = 0; connection < 300; connection++) {
      const encoder = new ModelEncoder(random);
      const decoder = new HpackDecoder();
      for (let b = 0; b < 10; b++, blocks++) {
        const updates =
          random() < 0.15
            ? Array.from({ length: 1 + int(random, 2) }, () =>
                pick(random, [0, 50, 256, 4096, int(random, 4097)]),
              )
            : [];
        const fields = randomFields(random, encoder.table);
        const block = encoder.block(fields, updates);
        const context = `connection ${connection}, block ${b}: ${block.toString("hex").slice(0, 160)}`;
        const result = decodeAll(decoder, block);
        expect(result.error, context).toBeUndefined();
        expect(result.fields, context).toEqual(fields);
        expect(decoder.table.size, `${context}: table size`).toBe(encoder.table.size);
        expect(decoderEntries(decoder), `${context}: table entries`).toEqual(encoder.table.entries);
        expectBounded(decoder, result.fields, context);
      }
    }
    expect(blocks).toBe(3000);
  });

  it("on mutated, truncated, spliced and random blocks throws only HpackError, and stays bounded", () => {
    const random = createRandom(0xbadc0de);
    let slowest = 0;
    let errors = 0;
    for (let n = 0; n < 5000; n++) {
      const encoder = new ModelEncoder(random);
      const decoder = new HpackDecoder();
      // A few valid blocks first, so mutated indexes can land on dynamic entries.
      for (let b = int(random, 3); b > 0; b--)
        decoder.decode(encoder.block(randomFields(random, encoder.table)), () => {});
      const valid = encoder.block(randomFields(random, encoder.table));
      const other = encoder.block(randomFields(random, encoder.table));
      let block: Buffer;
      if (n % 5 === 4) block = bytes(random, size(random, 300));
      else if (n % 5 === 3)
        block = Buffer.from([
          ...encodeInt(
            int(random, 2 ** 31),
            pick(random, [4, 5, 6, 7]),
            pick(random, [0x80, 0x40, 0x20, 0x10, 0]),
          ),
          ...bytes(random, int(random, 20)),
        ]);
      else block = mutate(random, n % 5 === 2 ? mutate(random, valid, other) : valid, other);
      const started = performance.now();
      const { fields, error } = decodeAll(decoder, block);
      const context = `case ${n}: ${block.toString("hex").slice(0, 160)}`;
      slowest = Math.max(slowest, performance.now() - started);
      if (error !== undefined) {
        errors++;
        if (!(error instanceof HpackError)) expect(error, context).toBeInstanceOf(HpackError);
      }
      expectBounded(decoder, fields, context);
    }
    expect(errors, "mutations that the decoder rejected").toBeGreaterThan(500);
    expect(slowest, "slowest case (ms)").toBeLessThan(500);
  });

  it("refuses header lists beyond its limit before emitting them, however they are compressed", () => {
    const random = createRandom(99);
    for (let n = 0; n < 200; n++) {
      const decoder = new HpackDecoder(4096, 1000 + int(random, 4000));
      // One entry added, then indexed over and over: a few bytes of block, a large list.
      const value = "v".repeat(100 + int(random, 900));
      const added = [
        0x40,
        ...encodeString("x-big", random() < 0.5),
        ...encodeString(value, random() < 0.5),
      ];
      const block = Buffer.concat([
        Buffer.from(added),
        Buffer.alloc(200 + int(random, 2000), 0xbe),
      ]);
      const { fields, error } = decodeAll(decoder, block);
      expect(error).toBeInstanceOf(HpackError);
      expectBounded(decoder, fields, `case ${n}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Header block reassembly (HEADERS + CONTINUATION).

describe("ResponseHeaderReader fuzz", () => {
  it("on random HEADERS/CONTINUATION sequences throws only H2ProtocolError", () => {
    const random = createRandom(0xc0ffee);
    for (let n = 0; n < 3000; n++) {
      const reader = new ResponseHeaderReader();
      const encoder = new ModelEncoder(random);
      const steps = 1 + int(random, 8);
      let error: unknown;
      for (let s = 0; s < steps && error === undefined; s++) {
        const streamId = pick(random, [0, 1, 1, 3, 2 ** 31 - 1]);
        const flags =
          random() < 0.7 ? pick(random, [0, 1, 4, 5, 8, 0x20, 0x25, 0x2d]) : int(random, 256);
        let payload = encoder.block(randomFields(random, encoder.table));
        if (random() < 0.5) payload = mutate(random, payload, bytes(random, 10));
        error = thrown(() => {
          const block =
            reader.expectsContinuation || random() < 0.2
              ? reader.continuation(flags, streamId, payload)
              : reader.headers(flags, streamId, payload);
          if (block) reader.decode(block.block, undefined);
        });
      }
      if (error !== undefined) expect(error, `case ${n}`).toBeInstanceOf(H2ProtocolError);
    }
  });

  it("CONTINUATION without END_HEADERS, forever: refused before 1 MB is buffered", () => {
    const reader = new ResponseHeaderReader();
    const fragment = Buffer.alloc(16_384, 0x40);
    reader.headers(0, 1, Buffer.from([0x88]));
    let buffered = 1;
    const error = thrown(() => {
      while (buffered < 64 * 1024 * 1024) {
        reader.continuation(0, 1, fragment);
        buffered += fragment.length;
      }
    });
    expect(error).toBeInstanceOf(H2ProtocolError);
    expect(buffered, "octets accepted before the refusal").toBeLessThan(1024 * 1024);
  });

  it("empty CONTINUATION frames without end: refused before 65,536 of them", () => {
    const reader = new ResponseHeaderReader();
    reader.headers(0, 1, Buffer.from([0x88]));
    let frames = 0;
    const error = thrown(() => {
      while (frames < 1_000_000) {
        reader.continuation(0, 1, Buffer.alloc(0));
        frames++;
      }
    });
    expect(error).toBeInstanceOf(H2ProtocolError);
    expect(frames, "empty CONTINUATION frames accepted").toBeLessThan(65_536);
  });
});

// ---------------------------------------------------------------------------------------------
// A whole connection against a peer that answers with random and mutated frames.

const STATUSES = [200, 200, 200, 400, 403, 404, 410, 413, 429, 500, 503];
const CLASSIFIED = new Set(["Refused", "ConnectionLost", "Timeout", "NotSent"]);

/** What the peer did to a stream: the result the client must report for it (valid rounds). */
type Outcome =
  | { kind: "response"; status: number; apnsId: string; body: string }
  | { kind: "failure"; reason: string };

/** Frames a well-behaved server might send now: answers, resets, PINGs, settings, noise. */
function validFrames(
  random: Random,
  peer: PeerSession,
  encoder: ModelEncoder,
  outcomes: Map<number, Outcome>,
): Buffer[] {
  const open = peer.streamIds.filter((id) => peer.streams.get(id)!.ended && !outcomes.has(id));
  const r = random();
  if (open.length > 0 && r < 0.45) {
    const id = pick(random, open);
    const status = pick(random, STATUSES);
    const apnsId = `id-${int(random, 1000)}-${randomText(random, 12)}`;
    const body = status === 200 ? "" : JSON.stringify({ reason: "BadDeviceToken" });
    outcomes.set(id, { kind: "response", status, apnsId, body });
    const fields: Field[] = [
      [":status", String(status)],
      ["apns-id", apnsId],
    ];
    if (random() < 0.3) fields.push(["x-noise", randomText(random, 300)]);
    const block = encoder.block(fields);
    const endStream = body === "" ? FLAG.END_STREAM : 0;
    const frames: Buffer[] = [];
    // The block in one HEADERS (maybe padded) or split over CONTINUATION frames.
    const cut = random() < 0.3 ? int(random, block.length + 1) : block.length;
    const padded = random() < 0.3;
    const first = block.subarray(0, cut);
    const payload = padded ? Buffer.concat([Buffer.from([3]), first, Buffer.alloc(3)]) : first;
    const last = cut === block.length ? FLAG.END_HEADERS : 0;
    frames.push(frame(FRAME.HEADERS, endStream | last | (padded ? FLAG.PADDED : 0), id, payload));
    if (!last) frames.push(frame(FRAME.CONTINUATION, FLAG.END_HEADERS, id, block.subarray(cut)));
    if (body !== "") {
      const split = int(random, body.length);
      frames.push(frame(FRAME.DATA, 0, id, Buffer.from(body.slice(0, split))));
      frames.push(frame(FRAME.DATA, FLAG.END_STREAM, id, Buffer.from(body.slice(split))));
    }

    return frames;
  }
  if (open.length > 0 && r < 0.52) {
    const id = pick(random, open);
    const code = pick(random, [
      ERROR_CODE.REFUSED_STREAM,
      ERROR_CODE.CANCEL,
      ERROR_CODE.INTERNAL_ERROR,
    ]);
    outcomes.set(id, {
      kind: "failure",
      reason: code === ERROR_CODE.REFUSED_STREAM ? "Refused" : "ConnectionLost",
    });

    return [rstStreamFrame(id, code)];
  }
  switch (int(random, 6)) {
    case 0:
      return [pingFrame(bytes(random, 8))];
    case 1:
      // On the connection or an open stream (an idle stream's would be a protocol error).
      return [
        windowUpdateFrame(
          open.length === 0 || random() < 0.5 ? 0 : pick(random, open),
          1 + int(random, 100_000),
        ),
      ];
    case 2:
      return [
        settingsFrame([
          pick(random, [
            [SETTING.MAX_CONCURRENT_STREAMS, 1 + int(random, 1000)],
            [SETTING.HEADER_TABLE_SIZE, pick(random, [0, 100, 4096, 65_536])],
            [SETTING.MAX_FRAME_SIZE, 16_384 + int(random, 100_000)],
            [SETTING.INITIAL_WINDOW_SIZE, 65_535 + int(random, 1 << 20)],
            [0x10 + int(random, 0xff00), int(random, 2 ** 32)],
          ] as [number, number][]),
        ]),
      ];
    case 3:
      return [frame(FRAME.PRIORITY, 0, pick(random, [1, 3, 5, 7]), [0, 0, 0, 0, 16])];
    case 4:
      return [
        frame(
          0x0a + int(random, 0xf0),
          int(random, 256),
          int(random, 8),
          bytes(random, size(random, 100)),
        ),
      ];
    default:
      return [frame(FRAME.SETTINGS, FLAG.ACK, 0)];
  }
}

type Round = { seed: number; valid: boolean };

/** How a round ended: the connection's state before we closed it, and each request's result. */
type RoundEnd = { valid: boolean; state: string; results: string[] };

async function fuzzRound({ seed, valid }: Round): Promise<RoundEnd> {
  const random = createRandom(seed);
  const context = `seed ${seed} (${valid ? "valid" : "mutated"} frames)`;
  const peer = await ScriptedPeer.start({
    settings: [
      [SETTING.MAX_CONCURRENT_STREAMS, 100],
      [SETTING.INITIAL_WINDOW_SIZE, 65_535 + int(random, 100_000)],
    ],
  });
  const sessionP = peer.nextSession();
  const client = new TestClient(peer);
  const end: RoundEnd = { valid, state: "", results: [] };
  try {
    const session = await sessionP;
    expect(await client.opened(), context).toBe(true);
    const timeoutMs = valid ? 3000 : 300;
    const sent: SentRequest[] = Array.from({ length: 1 + int(random, 4) }, (_, i) =>
      client.send({ apnsId: `req-${i}` }, bytes(random, size(random, 3000)), timeoutMs),
    );
    await session.until(
      () =>
        session.streamIds.length === sent.length &&
        [...session.streams.values()].every((s) => s.ended),
      3000,
      "the requests",
    );
    const encoder = new ModelEncoder(random);
    const outcomes = new Map<number, Outcome>();
    const count = 1 + int(random, 25);
    for (let i = 0; i < count && !session.closed; i++) {
      let out: Buffer = Buffer.concat(validFrames(random, session, encoder, outcomes));
      if (!valid && random() < 0.35) {
        out =
          random() < 0.15
            ? bytes(random, size(random, 64))
            : mutate(random, out, pingFrame(bytes(random, 8)));
      }
      for (const part of chunks(random, out)) session.send(part);
      if (random() < 0.3) await new Promise((resolve) => setImmediate(resolve));
    }
    if (!valid && random() < 0.1)
      session.send(goawayFrame(int(random, 8), int(random, 14), '{"reason":"Shutdown"}'));
    if (!valid && random() < 0.1) session.socket.end();
    // Whatever is still unanswered gets a plain answer.
    if (await session.barrier(valid ? 3000 : 300).catch(() => false)) {
      for (const id of session.streamIds) {
        if (outcomes.has(id)) continue;
        const apnsId = session.field(id, "apns-id") ?? "";
        outcomes.set(id, { kind: "response", status: 200, apnsId, body: "" });
        session.respondOk(id);
      }
    }

    const results = await Promise.all(
      sent.map((s) => within(s.result, timeoutMs + 1000, "hung" as const)),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    results.forEach((result, i) => {
      expect(result, `${context}, request ${i}: settles in time`).not.toBe("hung");
      expect(sent[i].calls, `${context}, request ${i}: settles once`).toBe(1);
      const r = result as RawResult;
      if (r.kind === "failure")
        expect(CLASSIFIED.has(r.reason), `${context}: ${r.reason}`).toBe(true);
      else expect(r.status, context).toBeGreaterThanOrEqual(200);
    });
    const state = client.connection.state;
    end.state = state;
    end.results = results.map((r) =>
      r === "hung" ? r : r.kind === "response" ? "response" : r.reason,
    );
    if (valid) {
      // A well-behaved peer: exactly what it sent for each stream, and the connection stays.
      expect(state, context).toBe("ready");
      expect(
        results.map((r) => summarize(r as RawResult)),
        context,
      ).toEqual(session.streamIds.map((id) => outcomes.get(id)));
    }
    if (state === "ready") {
      // Usable or closing: a fresh request settles in time (and succeeds after valid frames).
      session.autoRespond = true;
      const probe = client.send({ apnsId: "probe" }, Buffer.from("{}"), valid ? 3000 : 300);
      const result = await within(probe.result, (valid ? 3000 : 300) + 1000, "hung" as const);
      expect(result, `${context}: probe`).not.toBe("hung");
      if (valid)
        expect(result, `${context}: probe`).toMatchObject({ kind: "response", status: 200 });
    }
  } finally {
    await client.close();
    await peer.close();
  }
  expect(client.connection.state, `${context}: closed at the end`).toBe("closed");

  return end;
}

function summarize(result: RawResult): Outcome {
  return result.kind === "response"
    ? { kind: "response", status: result.status, apnsId: result.apnsId ?? "", body: result.body }
    : { kind: "failure", reason: result.reason };
}

describe("connection fuzz", () => {
  it("answers of random valid frames and chunkings come through exactly; mutated ones end in classified failures, never a hang", async () => {
    const rounds: Round[] = Array.from({ length: 64 }, (_, i) => ({
      seed: 1000 + i,
      valid: i % 3 === 0,
    }));
    // Eight connections at a time: mutated rounds mostly wait out their short request timeouts.
    const ends: RoundEnd[] = [];
    for (let i = 0; i < rounds.length; i += 8) {
      ends.push(...(await Promise.all(rounds.slice(i, i + 8).map(fuzzRound))));
    }
    // The mutations reached the protocol: some connections survived them, some were ended.
    const mutated = ends.filter((end) => !end.valid);
    const states = new Set(mutated.map((end) => end.state));
    expect(states.has("ready") && states.has("closed"), [...states].join()).toBe(true);
    const kinds = new Set(mutated.flatMap((end) => end.results));
    expect(kinds.has("response") && kinds.has("ConnectionLost"), [...kinds].join()).toBe(true);
  });
});
