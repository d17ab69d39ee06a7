#!/usr/bin/python3
"""An APNs-like HTTPS server on Python's hyper-h2 (Debian's python3-h2), for the sender's
interoperability suite. The scripted protocol is described in tests/interop/README.md.

    /usr/bin/python3 h2_server.py --cert server.pem --key server-key.pem [--initial-window-size N]

Listens on 127.0.0.1, port 0; prints the port as stdout's first line, then one JSON line per
answered request (and per GOAWAY); exits when stdin closes. asyncio + ssl carry the bytes, h2 does
the framing, and the GOAWAY is written as a raw frame so its last stream id and debug data are ours.
"""

import argparse
import asyncio
import base64
import hashlib
import itertools
import json
import os
import ssl
import sys
import threading
import time

import h2.config
import h2.connection
import h2.events
import h2.exceptions
from h2.settings import SettingCodes
from hyperframe.frame import ContinuationFrame, GoAwayFrame

DEFAULT_REASONS = {
    400: "BadRequest",
    403: "Forbidden",
    404: "BadPath",
    405: "MethodNotAllowed",
    410: "Unregistered",
    413: "PayloadTooLarge",
    429: "TooManyRequests",
    500: "InternalServerError",
    503: "ServiceUnavailable",
}
# After a GOAWAY and the last answer up to its stream id, wait this long before closing (as Go's
# server does), so the client reads the answers and closes first.
GOAWAY_CLOSE_DELAY_S = 0.5

connection_ids = itertools.count(1)


def emit(event):
    sys.stdout.write(json.dumps(event, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def padding(n):
    """n bytes of header-safe text that HPACK's Huffman code barely shrinks."""
    return base64.b64encode(os.urandom(n))[:n]


class ApnsLikeProtocol(asyncio.Protocol):
    def __init__(self, options):
        self.options = options
        self.id = next(connection_ids)
        self.transport = None
        self.conn = None
        self.streams = {}  # stream id -> {"headers": {...}, "body": bytearray}
        self.goaway_last = None  # last stream id of our GOAWAY, once sent
        self.closing = False
        self.continuations = {}  # stream id -> CONTINUATION frames its request headers took

    def connection_made(self, transport):
        self.transport = transport
        self.conn = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=False, header_encoding=None)
        )
        self.count_continuations()
        self.conn.initiate_connection()
        if self.options.initial_window_size is not None:
            # A second SETTINGS frame; h2 applies it to our receive windows once the client acks it.
            self.conn.update_settings(
                {SettingCodes.INITIAL_WINDOW_SIZE: self.options.initial_window_size}
            )
        self.flush()

    def count_continuations(self):
        """h2 joins CONTINUATION frames into the HEADERS frame before any event; count them on the
        way in (a private hook of h2's frame buffer: without it, the count is simply not reported)."""
        frames = self.conn.incoming_buffer
        join = getattr(frames, "_update_header_buffer", None)
        if join is None:
            self.continuations = None
            return

        def counting(frame):
            if isinstance(frame, ContinuationFrame):
                self.continuations[frame.stream_id] = self.continuations.get(frame.stream_id, 0) + 1
            return join(frame)

        frames._update_header_buffer = counting

    def connection_lost(self, exc):
        self.streams.clear()

    def data_received(self, data):
        if self.closing:
            return
        try:
            events = self.conn.receive_data(data)
        except h2.exceptions.ProtocolError as error:
            print(f"h2-server: connection {self.id}: {error!r}", file=sys.stderr, flush=True)
            self.flush()
            self.transport.close()
            return
        for event in events:
            if isinstance(event, h2.events.RequestReceived):
                self.streams[event.stream_id] = {
                    "headers": dict(event.headers),
                    "body": bytearray(),
                    "data_frames": 0,
                    "max_data_frame": 0,
                }
            elif isinstance(event, h2.events.DataReceived):
                stream = self.streams.get(event.stream_id)
                if stream is not None:
                    stream["body"] += event.data
                    stream["data_frames"] += 1
                    stream["max_data_frame"] = max(
                        stream["max_data_frame"], event.flow_controlled_length
                    )
                # Hand the window back as we consume, for the stream and the connection.
                self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            elif isinstance(event, h2.events.StreamEnded):
                self.respond(event.stream_id)
            elif isinstance(event, h2.events.StreamReset):
                self.streams.pop(event.stream_id, None)
            elif isinstance(event, h2.events.ConnectionTerminated):
                self.flush()
                self.transport.close()
                return
        self.flush()
        self.maybe_close_after_goaway()

    def flush(self):
        data = self.conn.data_to_send()
        if data:
            self.transport.write(data)

    def respond(self, stream_id):
        stream = self.streams.pop(stream_id, None)
        if stream is None:
            return
        if self.goaway_last is not None and stream_id > self.goaway_last:
            # Above our GOAWAY's last stream id: never processed, never answered.
            return
        headers = stream["headers"]
        body = bytes(stream["body"])
        get = lambda name: headers.get(name, b"").decode("latin-1")  # noqa: E731
        apns_id = get(b"apns-id")
        path = get(b":path")
        status, reason = 200, None

        if get(b":method") != "POST":
            status, reason = 405, "MethodNotAllowed"
        elif not path.startswith("/3/device/") or path == "/3/device/":
            status, reason = 404, "BadPath"
        elif get(b"x-interop-status"):
            status = int(get(b"x-interop-status"))
            reason = get(b"x-interop-reason") or DEFAULT_REASONS.get(status)
        elif get(b"x-body-sha256") and get(b"x-body-sha256") != hashlib.sha256(body).hexdigest():
            status, reason = 400, "BadPayload"
        elif get(b"x-interop-blob-sha256") and get(b"x-interop-blob-sha256") != hashlib.sha256(
            headers.get(b"x-interop-blob", b"")
        ).hexdigest():
            status, reason = 400, "BadHeader"

        response = [(b":status", str(status).encode())]
        pad = get(b"x-interop-pad")
        if pad and int(pad) > 0:
            # Before apns-id, so apns-id travels in the block's last CONTINUATION frame.
            response.append((b"x-interop-pad", padding(int(pad))))
        answer_id = get(b"x-interop-apns-id") or apns_id
        if answer_id:
            response.append((b"apns-id", answer_id.encode()))
        payload = None
        if reason:
            fields = {"reason": reason}
            if status == 410:
                timestamp = get(b"x-interop-timestamp")
                fields["timestamp"] = int(timestamp) if timestamp else int(time.time() * 1000)
            payload = json.dumps(fields, separators=(",", ":")).encode()
            response.append((b"content-type", b"application/json"))
            response.append((b"content-length", str(len(payload)).encode()))
        goaway = get(b"x-interop-goaway")
        event = {
            "conn": self.id,
            "stream": stream_id,
            "status": status,
            "apnsId": apns_id,
            "dataFrames": stream["data_frames"],
            "maxDataFrame": stream["max_data_frame"],
        }
        if self.continuations is not None:
            event["continuations"] = self.continuations.pop(stream_id, 0)
        if reason:
            event["reason"] = reason
        if goaway:
            event["goaway"] = True
        emit(event)

        self.conn.send_headers(stream_id, response, end_stream=payload is None)
        if payload is not None:
            self.conn.send_data(stream_id, payload, end_stream=True)
        if goaway and self.goaway_last is None:
            self.send_goaway(stream_id, goaway)

    def send_goaway(self, last_stream_id, reason):
        """GOAWAY(NO_ERROR, last_stream_id, {"reason": …}) as Apple sends it, written as a raw frame:
        h2's own close_connection() would stop it from answering the streams below the id."""
        self.flush()
        frame = GoAwayFrame(0)
        frame.last_stream_id = last_stream_id
        frame.error_code = 0
        frame.additional_data = json.dumps({"reason": reason}, separators=(",", ":")).encode()
        self.transport.write(frame.serialize())
        self.goaway_last = last_stream_id

    def maybe_close_after_goaway(self):
        if self.goaway_last is None or self.closing:
            return
        if any(stream_id <= self.goaway_last for stream_id in self.streams):
            return
        self.closing = True
        asyncio.get_running_loop().call_later(GOAWAY_CLOSE_DELAY_S, self.transport.close)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--initial-window-size", type=int, default=None)
    options = parser.parse_args()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(options.cert, options.key)
    context.set_alpn_protocols(["h2"])

    # Never outlive the test: stdin closes when the parent goes away.
    def watch_stdin():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()

    async def serve():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: ApnsLikeProtocol(options), "127.0.0.1", 0, ssl=context
        )
        print(server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
