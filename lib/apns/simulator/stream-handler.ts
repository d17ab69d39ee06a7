// The hot path: one HTTP/2 stream = one notification. Reads the body, runs Apple's checks in
// order, applies injected faults, answers after the configured latency and records the outcome.
// No logging and no JSON parsing of the payload here: benchmarks push >15k requests/s through it.

import { randomUUID } from "node:crypto";
import { constants, type IncomingHttpHeaders, type ServerHttp2Stream } from "node:http2";

import { NEEDS_VERIFICATION, authenticate, authenticateNow } from "./authenticate";
import type { Connection, SimulatorContext } from "./context";
import { drawFault } from "./faults";
import { payloadLimit } from "./push-types";
import { REASON_STATUS, type Rejection } from "./reasons";
import type { RecentNotification } from "./types";
import { validateHeaders, type ParsedRequest } from "./validate-headers";

const ignore = () => {};
// Rejections without per-request data are shared (they are only read).
const PAYLOAD_EMPTY: Rejection = { reason: "PayloadEmpty" };
const PAYLOAD_TOO_LARGE: Rejection = { reason: "PayloadTooLarge" };
const TOO_MANY_REQUESTS: Rejection = { reason: "TooManyRequests" };

// Bodies beyond any limit are counted, not kept: enough to answer PayloadTooLarge.
const MAX_KEPT_BYTES = 8192;

function single(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** GOAWAY carrying Apple's JSON reason; streams above `lastStreamId` are refused from now on. */
export function sendGoaway(
  context: SimulatorContext,
  connection: Connection,
  lastStreamId: number,
  reason: string,
): void {
  if (
    connection.goawayLastStreamId !== null ||
    connection.session.closed ||
    connection.session.destroyed
  )
    return;
  connection.goawayLastStreamId = lastStreamId;
  context.counters.goawaysSent++;
  markBroken(context, connection);
  connection.session.goaway(
    constants.NGHTTP2_NO_ERROR,
    lastStreamId,
    Buffer.from(JSON.stringify({ reason })),
  );
  // close() lets the streams at or below lastStreamId finish, then ends the connection.
  connection.session.close();
}

/** Counts a connection the server ended (GOAWAY or reset) once, however many faults hit it. */
function markBroken(context: SimulatorContext, connection: Connection): void {
  if (connection.broken) return;
  connection.broken = true;
  context.counters.connectionsBroken++;
}

// Node destroys a session (ERR_HTTP2_MAX_PENDING_SETTINGS_ACK) that would have more than 10 SETTINGS
// frames awaiting their ACK, the initial one included: stay below that.
const MAX_SETTINGS_IN_FLIGHT = 8;

/**
 * Tells the client the stream limit the connection should have now (`raised` ? maxConcurrentStreams
 * : 1) unless that is what it was last told. While MAX_SETTINGS_IN_FLIGHT frames await their ACK, a
 * change waits for the next ACK and only the latest value goes out (quick flips coalesce).
 */
function syncStreamLimit(context: SimulatorContext, connection: Connection): void {
  const wanted = connection.raised ? context.maxConcurrentStreams : 1;
  const session = connection.session;
  if (
    wanted === connection.advertisedStreams ||
    connection.settingsInFlight >= MAX_SETTINGS_IN_FLIGHT ||
    session.closed ||
    session.destroyed
  )
    return;
  connection.advertisedStreams = wanted;
  connection.settingsInFlight++;
  // Called on the ACK, or with an error when the session goes first.
  session.settings({ maxConcurrentStreams: wanted }, () => {
    connection.settingsInFlight--;
    syncStreamLimit(context, connection);
  });
}

export function handleStream(
  context: SimulatorContext,
  connection: Connection,
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  rawHeaders: string[] | undefined,
): void {
  connection.streams++;
  stream.on("error", ignore); // client resets and our own refusals are normal traffic, not crashes
  const streamId = stream.id ?? 0;
  if (streamId > connection.maxStreamId) connection.maxStreamId = streamId;
  if (connection.goawayLastStreamId !== null && streamId > connection.goawayLastStreamId) {
    context.counters.refusedStreams++;
    stream.close(constants.NGHTTP2_REFUSED_STREAM);

    return;
  }
  // lastStreamId = this stream: it arrived last, so it is the highest id received on the connection.
  const goAwayAfter = context.faults.goAwayAfterStreams;
  if (goAwayAfter > 0 && connection.streams === goAwayAfter)
    sendGoaway(context, connection, streamId, "Shutdown");
  // Server-wide: every Nth stream received (refused ones above do not count), on whichever
  // connection carries it. `>=` so that lowering N mid-count fires at once.
  const goAwayEvery = context.faults.goAwayEveryStreams;
  if (goAwayEvery > 0 && ++context.streamsTowardGoaway >= goAwayEvery) {
    sendGoaway(context, connection, streamId, "Shutdown");
    // A session already closing or destroyed takes no GOAWAY: then the next stream gets it.
    if (connection.goawayLastStreamId !== null) context.streamsTowardGoaway = 0;
  }

  const chunks: Buffer[] = [];
  let size = 0;
  stream.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_KEPT_BYTES) chunks.push(chunk);
  });
  stream.on("end", () => {
    processRequest(context, connection, stream, headers, rawHeaders, chunks, size);
  });
}

function processRequest(
  context: SimulatorContext,
  connection: Connection,
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  rawHeaders: string[] | undefined,
  chunks: Buffer[],
  size: number,
): void {
  const defaultTopic =
    connection.cert.kind === "valid" && connection.cert.identity.topics.length === 1
      ? connection.cert.identity.topics[0]
      : null;
  const check = validateHeaders(headers, rawHeaders, defaultTopic);
  const apnsId = single(headers["apns-id"]);
  const entry: RecentNotification = {
    at: context.now(),
    // A malformed apns-id cannot be echoed as an id; Apple generates one, so do we.
    apnsId:
      apnsId !== null && !(!check.ok && check.rejection.reason === "BadMessageId")
        ? apnsId
        : randomUUID(),
    token: check.ok ? check.request.token : check.token,
    topic: check.ok ? check.request.topic : single(headers["apns-topic"]),
    pushType: check.ok ? check.request.pushType : single(headers["apns-push-type"]),
    priority: check.ok ? check.request.priority : single(headers["apns-priority"]),
    status: 200,
    bytes: size,
    payload: "", // filled lazily by Counters.recent() from `body`: most entries are never read
  };
  // Generated ids are unique by construction; only client ids need duplicate tracking.
  const clientId = entry.apnsId === apnsId;
  const body =
    size > MAX_KEPT_BYTES ? null : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);

  if (!check.ok) return answer(context, connection, stream, entry, body, clientId, check.rejection);
  const request = check.request;
  const tokenRejection = context.tokens.check(request.token, request.topic, context.mode);
  if (tokenRejection)
    return answer(context, connection, stream, entry, body, clientId, tokenRejection);
  // Synchronous unless this JWT's signature has never been verified: no promise per request.
  const auth = authenticateNow(context, connection, request, headers);
  if (auth === NEEDS_VERIFICATION) {
    void authenticate(context, connection, request, headers).then((rejection) =>
      afterAuth(context, connection, stream, entry, body, clientId, request, size, rejection),
    );

    return;
  }
  afterAuth(context, connection, stream, entry, body, clientId, request, size, auth);
}

function afterAuth(
  context: SimulatorContext,
  connection: Connection,
  stream: ServerHttp2Stream,
  entry: RecentNotification,
  body: Buffer | null,
  clientId: boolean,
  request: ParsedRequest,
  size: number,
  authRejection: Rejection | null,
): void {
  const rejection =
    authRejection ??
    (size === 0 ? PAYLOAD_EMPTY : null) ??
    (size > payloadLimit(request.pushType) ? PAYLOAD_TOO_LARGE : null) ??
    (context.tokens.isThrottled(request.token) ? TOO_MANY_REQUESTS : null);
  answer(context, connection, stream, entry, body, clientId, rejection);
}

/** Faults (only for requests that passed every check), then the answer after the configured latency. */
function answer(
  context: SimulatorContext,
  connection: Connection,
  stream: ServerHttp2Stream,
  entry: RecentNotification,
  body: Buffer | null,
  clientId: boolean,
  checked: Rejection | null,
): void {
  let rejection = checked;
  let faulted = false;
  if (!rejection) {
    const fault = drawFault(context.faults, context.random);
    if (fault === "reset") return resetConnection(context, connection, entry, body, clientId);
    if (fault !== "none") {
      rejection = { reason: fault };
      faulted = true;
    }
  }

  const latency = context.faults.latencyMs;
  if (latency > 0)
    setTimeout(
      respond,
      latency,
      context,
      connection,
      stream,
      entry,
      body,
      clientId,
      rejection,
      faulted,
    );
  else respond(context, connection, stream, entry, body, clientId, rejection, faulted);
}

/** Destroys the socket with no response; half of those requests count as accepted before the loss. */
function resetConnection(
  context: SimulatorContext,
  connection: Connection,
  entry: RecentNotification,
  body: Buffer | null,
  clientId: boolean,
): void {
  const acceptedFirst = context.random() < 0.5;
  context.counters.resetsDone++;
  if (acceptedFirst) context.counters.resetsAfterAccept++;
  entry.status = 0;
  entry.reason = acceptedFirst ? "ResetAfterAccept" : "Reset";
  context.counters.record(entry, body, acceptedFirst, clientId);
  // No stream limit to drop (dropStreamsOnReject): the connection is gone, and a new one starts at 1.
  markBroken(context, connection);
  if (connection.socket) connection.socket.destroy();
  else connection.session.destroy();
}

function respond(
  context: SimulatorContext,
  connection: Connection,
  stream: ServerHttp2Stream,
  entry: RecentNotification,
  body: Buffer | null,
  clientId: boolean,
  rejection: Rejection | null,
  faulted: boolean,
): void {
  if (stream.destroyed || stream.closed) {
    // The client or a reset took the stream before we answered: nothing was accepted.
    entry.status = 0;
    entry.reason = "StreamClosed";
    context.counters.record(entry, body, false);

    return;
  }

  const responseHeaders: Record<string, string | number> = {
    ":status": 200,
    "apns-id": entry.apnsId,
  };
  if (context.mode === "sandbox") responseHeaders["apns-unique-id"] = randomUUID();

  if (!rejection) {
    stream.respond(responseHeaders, { endStream: true });
    context.counters.record(entry, body, true, clientId);
    // Apple allows one stream until the first authenticated success, then many (docs/apns.md §3, §8);
    // with dropStreamsOnReject, also the first success after a drop restores the limit.
    if (!connection.raised) {
      connection.raised = true;
      syncStreamLimit(context, connection);
    }

    return;
  }
  // An injected fault (not one of Apple's checks) with dropStreamsOnReject: the limit falls to 1
  // before the client reads the rejection, so it sees both in that order.
  if (
    faulted &&
    connection.raised &&
    context.faults.dropStreamsOnReject > 0 &&
    connection.goawayLastStreamId === null
  ) {
    connection.raised = false;
    context.counters.streamLimitDrops++;
    syncStreamLimit(context, connection);
  }

  entry.status = REASON_STATUS[rejection.reason];
  entry.reason = rejection.reason;
  responseHeaders[":status"] = entry.status;
  responseHeaders["content-type"] = "application/json";
  const json =
    rejection.timestamp !== undefined
      ? { reason: rejection.reason, timestamp: rejection.timestamp }
      : { reason: rejection.reason };
  stream.respond(responseHeaders);
  stream.end(JSON.stringify(json));
  context.counters.record(entry, body, false);
  // Streams above this one may already have been answered (processing is async after each body
  // ends), so lastStreamId is the highest id received: RFC 9113 §6.8 "might have taken some action on".
  if (rejection.reason === "Shutdown")
    sendGoaway(context, connection, connection.maxStreamId, "Shutdown");
}
