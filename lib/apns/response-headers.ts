// Response header blocks: HEADERS plus any CONTINUATION frames put back together, HPACK-decoded,
// and the fields APNs defines recorded on their stream.

import { ERROR_CODE, FLAG, H2ProtocolError, unpad } from "./h2/frames";
import { HpackDecoder, HpackError } from "./h2/hpack";
import type { Stream } from "./in-flight";

/**
 * APNs' response headers are a few hundred bytes; a block this large, or split this finely, is a
 * peer trying to make us hold memory (the CONTINUATION flood).
 */
const MAX_HEADER_BLOCK_BYTES = 256 * 1024;
const MAX_HEADER_BLOCK_FRAMES = 1024;

/** A complete header block and the flags of the HEADERS frame that opened it. */
export type HeaderBlock = { streamId: number; flags: number; block: Buffer };

export class ResponseHeaderReader {
  readonly #decoder = new HpackDecoder();
  /** A block still waiting for its CONTINUATION frames. */
  #open: { streamId: number; flags: number; fragments: Buffer[]; bytes: number } | null = null;
  /** The stream being decoded into (avoids a closure per block), and whether to ignore fields. */
  #target: Stream | undefined = undefined;
  #trailers = false;

  /** While a block is open, the peer may send nothing but its CONTINUATION frames (RFC 9113 §6.10). */
  get expectsContinuation(): boolean {
    return this.#open !== null;
  }

  /** A HEADERS frame; the block when it is complete. */
  headers(flags: number, streamId: number, payload: Buffer): HeaderBlock | null {
    if (streamId === 0) throw new H2ProtocolError(ERROR_CODE.PROTOCOL_ERROR, "HEADERS on stream 0");
    let fragment = unpad(flags, payload);
    if (flags & FLAG.PRIORITY) {
      if (fragment.length < 5) throw new H2ProtocolError(ERROR_CODE.FRAME_SIZE_ERROR, "HEADERS");
      fragment = fragment.subarray(5);
    }
    if (flags & FLAG.END_HEADERS) return { streamId, flags, block: fragment };
    this.#open = { streamId, flags, fragments: [fragment], bytes: fragment.length };

    return null;
  }

  /** A CONTINUATION frame; the block when it is complete. */
  continuation(flags: number, streamId: number, payload: Buffer): HeaderBlock | null {
    const open = this.#open;
    if (!open || open.streamId !== streamId) {
      throw new H2ProtocolError(ERROR_CODE.PROTOCOL_ERROR, "unexpected CONTINUATION");
    }
    open.fragments.push(payload);
    open.bytes += payload.length;
    // A block may span many frames, but not without end: memory stays bounded whatever the peer does.
    if (open.bytes > MAX_HEADER_BLOCK_BYTES || open.fragments.length > MAX_HEADER_BLOCK_FRAMES) {
      throw new H2ProtocolError(ERROR_CODE.ENHANCE_YOUR_CALM, "header block too large");
    }
    if ((flags & FLAG.END_HEADERS) === 0) return null;
    this.#open = null;

    return { streamId, flags: open.flags, block: Buffer.concat(open.fragments) };
  }

  /**
   * Decode a block into its stream. Blocks of streams we no longer track are decoded too: the
   * dynamic table must stay in step with the server's.
   */
  decode(block: Buffer, stream: Stream | undefined): void {
    this.#target = stream;
    // A second block after the final response is trailers: decoded, not recorded.
    this.#trailers = stream !== undefined && stream.status >= 200;
    try {
      this.#decoder.decode(block, this.#onField);
    } catch (error) {
      if (error instanceof HpackError) {
        throw new H2ProtocolError(ERROR_CODE.COMPRESSION_ERROR, error.message);
      }
      throw error;
    } finally {
      this.#target = undefined;
    }
  }

  readonly #onField = (name: string, value: string): void => {
    const stream = this.#target;
    if (!stream || this.#trailers) return;
    switch (name) {
      case ":status": {
        const status = Number(value);
        // 1xx responses are interim; the final one follows in a later block.
        stream.status = status >= 200 ? status : 0;
        break;
      }
      case "apns-id":
        stream.apnsId = value;
        break;
      case "apns-unique-id":
        stream.apnsUniqueId = value;
        break;
      case "retry-after":
        stream.retryAfter = value;
        break;
      default:
    }
  };
}
