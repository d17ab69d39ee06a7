// HPACK against RFC 7541's own examples (Appendix C), plus the encoder's indexing policy and
// table-size updates, decoded by our decoder. The connection tests decode nghttp2's output.

import { describe, expect, it } from "vitest";

import { ByteWriter } from "./byte-writer";
import { HpackDecoder, HpackEncoder, HpackError } from "./hpack";
import { huffmanCode, huffmanDecode } from "./huffman";

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ""), "hex");

function decodeAll(decoder: HpackDecoder, block: Buffer): [string, string][] {
  const fields: [string, string][] = [];
  decoder.decode(block, (name, value) => fields.push([name, value]));

  return fields;
}

describe("Huffman code (RFC 7541 Appendix B)", () => {
  it("derives Appendix B's codes from the bit lengths", () => {
    expect(huffmanCode(0)).toEqual([0x1ff8, 13]);
    expect(huffmanCode(1)).toEqual([0x7fffd8, 23]);
    expect(huffmanCode(" ".charCodeAt(0))).toEqual([0x14, 6]);
    expect(huffmanCode("0".charCodeAt(0))).toEqual([0x0, 5]);
    expect(huffmanCode("a".charCodeAt(0))).toEqual([0x3, 5]);
    expect(huffmanCode("z".charCodeAt(0))).toEqual([0x7b, 7]);
    expect(huffmanCode(255)).toEqual([0x3ffffee, 26]);
    expect(huffmanCode(256)).toEqual([0x3fffffff, 30]);
  });

  it.each([
    ["f1e3 c2e5 f23a 6ba0 ab90 f4ff", "www.example.com"],
    ["a8eb 1064 9cbf", "no-cache"],
    ["25a8 49e9 5ba9 7d7f", "custom-key"],
    ["25a8 49e9 5bb8 e8b4 bf", "custom-value"],
    ["6402", "302"],
    ["aec3 771a 4b", "private"],
    ["d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff", "Mon, 21 Oct 2013 20:13:21 GMT"],
    ["9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3", "https://www.example.com"],
  ])("decodes %s as %j (Appendix C.4, C.6)", (code, text) => {
    const bytes = hex(code);
    expect(huffmanDecode(bytes, 0, bytes.length)).toBe(text);
  });

  it("rejects padding that is not EOS's leading 1s, or longer than 7 bits, and EOS itself", () => {
    // "0" is 00000 (5 bits): padding 000 instead of 111.
    expect(() => huffmanDecode(Buffer.from([0x00]), 0, 1)).toThrow(/padding/);
    // "0" then 11 more 1 bits: padding longer than 7 bits.
    expect(() => huffmanDecode(Buffer.from([0x07, 0xff]), 0, 2)).toThrow(/padding/);
    // EOS (30 ones) followed by two padding ones.
    expect(() => huffmanDecode(Buffer.from([0xff, 0xff, 0xff, 0xff]), 0, 4)).toThrow(/EOS/);
  });
});

describe("HPACK decoder", () => {
  it("decodes Appendix C.3: requests without Huffman, sharing the dynamic table", () => {
    const decoder = new HpackDecoder();
    expect(decodeAll(decoder, hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"))).toEqual([
      [":method", "GET"],
      [":scheme", "http"],
      [":path", "/"],
      [":authority", "www.example.com"],
    ]);
    expect(decoder.table.size).toBe(57);
    expect(decodeAll(decoder, hex("8286 84be 5808 6e6f 2d63 6163 6865"))).toEqual([
      [":method", "GET"],
      [":scheme", "http"],
      [":path", "/"],
      [":authority", "www.example.com"],
      ["cache-control", "no-cache"],
    ]);
    expect(decoder.table.size).toBe(110);
    expect(
      decodeAll(
        decoder,
        hex("8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"),
      ),
    ).toEqual([
      [":method", "GET"],
      [":scheme", "https"],
      [":path", "/index.html"],
      [":authority", "www.example.com"],
      ["custom-key", "custom-value"],
    ]);
    expect(decoder.table.size).toBe(164);
  });

  it("sizes decoded entries in octets: a byte of 0x80 or more counts once, as on the sender's side", () => {
    // Literal with incremental indexing, new name (0x40), no Huffman: name "a", then a value of
    // `length` raw bytes.
    const literal = (value: Buffer) =>
      Buffer.concat([Buffer.from([0x40, 0x01, 0x61]), lengthPrefix(value.length), value]);
    const first = Buffer.alloc(2000, 0x41); // entry of 2,033 octets
    const second = Buffer.alloc(2000, 0xc3); // 2,033 octets, but 4,033 if counted as UTF-8
    const decoder = new HpackDecoder();
    decodeAll(decoder, Buffer.concat([literal(first), literal(second)]));
    expect(decoder.table.size).toBe(2 * (1 + 2000 + 32));
    // Both entries fit a 4,096-octet table, so the server may refer to the older one (index 63).
    expect(decodeAll(decoder, Buffer.from([0x80 | 63]))).toStrictEqual([
      ["a", first.toString("latin1")],
    ]);
  });

  it("decodes Appendix C.5: responses with a 256-byte table, evicting old entries", () => {
    const decoder = new HpackDecoder();
    decoder.table.resize(256);
    const first = hex(`4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63
      7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777
      2e65 7861 6d70 6c65 2e63 6f6d`);
    expect(decodeAll(decoder, first)).toEqual([
      [":status", "302"],
      ["cache-control", "private"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["location", "https://www.example.com"],
    ]);
    expect(decoder.table.size).toBe(222);
    // ":status: 307" evicts ":status: 302".
    expect(decodeAll(decoder, hex("4803 3330 37c1 c0bf"))).toEqual([
      [":status", "307"],
      ["cache-control", "private"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["location", "https://www.example.com"],
    ]);
    expect(decoder.table.size).toBe(222);
    expect(decoder.table.length).toBe(4);
  });

  it.each([
    ["an index beyond both tables", "be"],
    ["index 0", "80"],
    ["a truncated string", "400a 6375"],
    ["a table size update after a field", "82 3f e1 1f"],
    ["a table size update above our SETTINGS", "3f e2 1f"],
    ["a huge integer", "0f ff ff ff ff ff ff"],
  ])("rejects %s", (_what, block) => {
    expect(() => decodeAll(new HpackDecoder(), hex(block))).toThrow(HpackError);
  });
});

describe("HPACK encoder (Apple's indexing guidance)", () => {
  function encode(
    encoder: HpackEncoder,
    fields: [string, string, "index" | "literal" | "name-once"][],
  ) {
    const out = new ByteWriter();
    encoder.beginBlock(out);
    for (const [name, value, policy] of fields) encoder.field(out, name, value, policy);

    return out.take();
  }

  it("indexes repeated headers, keeps :path and authorization literal, and names apns-id once", () => {
    const encoder = new HpackEncoder();
    const decoder = new HpackDecoder();
    const request = (
      path: string,
      id: string,
    ): [string, string, "index" | "literal" | "name-once"][] => [
      [":path", path, "literal"],
      ["authorization", "bearer abc.def.ghi", "literal"],
      ["apns-id", id, "name-once"],
      ["apns-topic", "com.example.app", "index"],
      ["apns-push-type", "alert", "index"],
    ];
    const first = encode(encoder, request("/3/device/aa", "id-1"));
    expect(decodeAll(decoder, first)).toEqual(
      request("/3/device/aa", "id-1").map(([n, v]) => [n, v]),
    );
    const second = encode(encoder, request("/3/device/bb", "id-2"));
    expect(decodeAll(decoder, second)).toEqual(
      request("/3/device/bb", "id-2").map(([n, v]) => [n, v]),
    );
    // Only apns-id's first value, the topic and the push type entered the table...
    expect(decoder.table.length).toBe(3);
    // ...so the second request's topic and push type are one byte each.
    expect(second.length).toBeLessThan(first.length - "com.example.app".length);
    expect(second.subarray(second.length - 2)).toEqual(Buffer.from([0x80 | 63, 0x80 | 62]));
  });

  it("signals the peer's smaller table size before the next block and evicts to it", () => {
    const encoder = new HpackEncoder();
    const decoder = new HpackDecoder();
    decodeAll(decoder, encode(encoder, [["apns-topic", "com.example.app", "index"]]));
    expect(decoder.table.length).toBe(1);
    encoder.setPeerTableSize(0);
    encoder.setPeerTableSize(100);
    const block = encode(encoder, [["apns-topic", "com.example.app", "index"]]);
    // Two updates (smallest 0, then 100), then the field literal again since the entry was evicted.
    expect([...block.subarray(0, 3)]).toEqual([0x20, 0x3f, 0x45]);
    expect(decodeAll(decoder, block)).toEqual([["apns-topic", "com.example.app"]]);
    expect(decoder.table.maxSize).toBe(100);
    expect(decoder.table.length).toBe(1);
  });
});

/** An HPACK string length with a 7-bit prefix (§5.1), H bit clear. */
function lengthPrefix(length: number): Buffer {
  if (length < 127) return Buffer.from([length]);
  const bytes = [127];
  let rest = length - 127;
  while (rest >= 128) {
    bytes.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);

  return Buffer.from(bytes);
}
