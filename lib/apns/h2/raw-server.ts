// Test support: an HTTP/2 server written frame by frame over real TLS, for behaviours no
// well-behaved server library will produce on demand (GOAWAY before SETTINGS, streams limited to
// 0, sockets dropped on every request, endless CONTINUATION, …). Each test scripts what a
// connection does with the callbacks below; nothing here is used outside tests.

import type { AddressInfo } from "node:net";
import tls from "node:tls";

import { generateServerTls } from "../simulator/tls-material";
import { FLAG, FRAME, FrameReader, PREFACE } from "./frames";

export const rawServerTls = generateServerTls();

/** One frame, header and payload. */
export function frame(
  type: number,
  flags: number,
  streamId: number,
  payload: Buffer = Buffer.alloc(0),
): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(streamId, 5);

  return Buffer.concat([header, payload]);
}

/** A SETTINGS frame with these (id, value) pairs. */
export function settingsFrame(entries: [number, number][] = []): Buffer {
  const payload = Buffer.alloc(entries.length * 6);
  entries.forEach(([id, value], i) => {
    payload.writeUInt16BE(id, i * 6);
    payload.writeUInt32BE(value, i * 6 + 2);
  });

  return frame(FRAME.SETTINGS, 0, 0, payload);
}

export function goawayFrame(lastStreamId: number, code = 0, debug?: string): Buffer {
  const payload = Buffer.alloc(8);
  payload.writeUInt32BE(lastStreamId, 0);
  payload.writeUInt32BE(code, 4);

  return frame(FRAME.GOAWAY, 0, 0, debug ? Buffer.concat([payload, Buffer.from(debug)]) : payload);
}

/**
 * A response header block: `:status` (static index 8 when 200, else a literal with that name)
 * and optional apns-id, never touching either side's dynamic table.
 */
export function responseBlock(status: number, apnsId?: string): Buffer {
  const parts: Buffer[] = [];
  if (status === 200) parts.push(Buffer.from([0x88]));
  else parts.push(Buffer.from([0x08, 3]), Buffer.from(String(status)));
  if (apnsId) {
    parts.push(Buffer.from([0x00, 7]), Buffer.from("apns-id"));
    parts.push(Buffer.from([apnsId.length]), Buffer.from(apnsId));
  }

  return Buffer.concat(parts);
}

/** A complete response: HEADERS, then the JSON body in one DATA frame when there is one. */
export function responseFrames(streamId: number, status: number, body?: string): Buffer {
  if (body === undefined) {
    return frame(
      FRAME.HEADERS,
      FLAG.END_HEADERS | FLAG.END_STREAM,
      streamId,
      responseBlock(status),
    );
  }

  return Buffer.concat([
    frame(FRAME.HEADERS, FLAG.END_HEADERS, streamId, responseBlock(status)),
    frame(FRAME.DATA, FLAG.END_STREAM, streamId, Buffer.from(body)),
  ]);
}

export type RawConnection = {
  /** 1 for the server's first connection, and so on. */
  readonly index: number;
  readonly socket: tls.TLSSocket;
  write(bytes: Buffer): void;
};

export type RawScript = {
  /** Right after the TLS handshake, before anything is read. Default: an empty SETTINGS. */
  onConnect?: (connection: RawConnection) => void;
  /** Every client frame after the preface (SETTINGS ACKs are answered before this is called). */
  onFrame?: (
    connection: RawConnection,
    type: number,
    flags: number,
    streamId: number,
    payload: Buffer,
  ) => void;
  /** A request stream the client ended (END_STREAM on HEADERS or DATA). */
  onRequest?: (connection: RawConnection, streamId: number) => void;
};

export type RawServer = {
  port: number;
  /** TLS connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
};

export async function startRawServer(script: RawScript): Promise<RawServer> {
  let connections = 0;
  const sockets = new Set<tls.TLSSocket>();
  const server = tls.createServer(
    { cert: rawServerTls.certPem, key: rawServerTls.keyPem, ALPNProtocols: ["h2"] },
    (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {});
      const connection: RawConnection = {
        index: ++connections,
        socket,
        write: (bytes) => {
          if (!socket.destroyed) socket.write(bytes);
        },
      };
      if (script.onConnect) script.onConnect(connection);
      else connection.write(settingsFrame());
      let preface: Buffer = Buffer.alloc(0);
      const reader = new FrameReader(1 << 24, (type, flags, streamId, payload) => {
        if (type === FRAME.SETTINGS && !(flags & FLAG.ACK)) {
          connection.write(frame(FRAME.SETTINGS, FLAG.ACK, 0));
        }
        script.onFrame?.(connection, type, flags, streamId, payload);
        if ((type === FRAME.HEADERS || type === FRAME.DATA) && flags & FLAG.END_STREAM) {
          script.onRequest?.(connection, streamId);
        }
      });
      socket.on("data", (data: Buffer) => {
        let chunk = data;
        if (preface.length < PREFACE.length) {
          preface = Buffer.concat([preface, chunk]);
          if (preface.length < PREFACE.length) return;
          chunk = preface.subarray(PREFACE.length);
        }
        try {
          reader.push(chunk);
        } catch {
          socket.destroy();
        }
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
