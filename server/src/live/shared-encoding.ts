import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import * as ws from 'ws';

/**
 * One encoding for a payload that many sockets are sent on their own (not as one broadcast):
 * the subscribe ack of a burst of walls returning to the same region carries the same snapshot
 * to each. socket.io encodes every ack separately, JSON and all; this encoder keeps the JSON text
 * of a payload marked with `shareEncoding` and writes only the packet's header per socket.
 *
 * The packet (header and JSON) and its WebSocket frame are kept too, for the latest few packets:
 * sockets whose acks have the same header (the same ack id, as a wall's first subscribe has) get
 * the same string, and a connection that uses `useSharedFrames` sends the frame made once instead
 * of its own UTF-8 copy, as socket.io's broadcasts do. In a burst of 10,000 walls those per-socket
 * copies of a 21 KiB snapshot were what lifted the server's RSS above its live set.
 *
 * The wire format is unchanged (socket.io-parser's string packets): clients notice nothing. A
 * marked payload must be plain JSON data (no Buffers) and is never changed afterwards: it is
 * frozen when marked, and its text is made once, on first send.
 */
const encodings = new WeakMap<object, { json: string; serial: number } | null>();
let serials = 0;

/** Marks `payload` (frozen from now on) for one shared encoding; returns it. */
export function shareEncoding<T extends object>(payload: T): T {
  if (!encodings.has(payload)) encodings.set(Object.freeze(payload), null);
  return payload;
}

function encodingOf(payload: object): { json: string; serial: number } {
  let encoding = encodings.get(payload);
  if (!encoding) {
    encoding = { json: JSON.stringify(payload), serial: ++serials };
    encodings.set(payload, encoding);
  }
  return encoding;
}

/**
 * ws's frame builder: exported at run time and used by socket.io's broadcasts, but missing from its
 * type declarations. Checked as socket.io-adapter checks it: without it, packets are encoded as usual.
 */
const frameBuilder = (ws as unknown as { Sender?: { frame?: (data: Buffer, options: object) => Buffer[] } }).Sender?.frame;

/** How many shared packets (and frames) are kept: the walls of a burst get theirs within moments. */
export const SHARED_PACKETS_KEPT = 32;
/** Packet text by (payload serial, header), oldest first. */
const packets = new Map<string, string>();
/** The WebSocket frame of each kept packet: engine.io's message type '4', UTF-8, unmasked text frame. */
const frames = new Map<string, Buffer[]>();
/** How many kept packets have each length: every other message a socket writes is ruled out by its length, without hashing its text. */
const lengths = new Map<number, number>();

function sharedPacket(payload: object, header: string): string {
  const { json, serial } = encodingOf(payload);
  const key = `${serial}:${header}`;
  let packet = packets.get(key);
  if (packet === undefined) {
    if (packets.size >= SHARED_PACKETS_KEPT) {
      const [oldestKey, oldest] = packets.entries().next().value as [string, string];
      packets.delete(oldestKey);
      if (frames.delete(oldest)) {
        const left = lengths.get(oldest.length)! - 1;
        if (left) lengths.set(oldest.length, left);
        else lengths.delete(oldest.length);
      }
    }
    packet = `${header}[${json}]`;
    packets.set(key, packet);
    // (two payloads of equal content make the same text: one frame serves both)
    if (typeof frameBuilder === 'function' && !frames.has(packet)) {
      frames.set(packet, websocketFrame(frameBuilder, packet));
      lengths.set(packet.length, (lengths.get(packet.length) ?? 0) + 1);
    }
  }
  return packet;
}

/** The frame `ws` would write for this engine.io message; the same options socket.io's broadcasts precompute theirs with. */
function websocketFrame(frame: NonNullable<typeof frameBuilder>, packet: string): Buffer[] {
  return frame(Buffer.from(`4${packet}`), { readOnly: false, mask: false, rsv1: false, opcode: 1, fin: true });
}

/** The frame made for a shared packet, if it is still kept; undefined for any other text. */
export function sharedFrameOf(text: string): Buffer[] | undefined {
  return lengths.has(text.length) ? frames.get(text) : undefined;
}

/** socket.io-parser's Encoder, but a packet whose single argument is a marked payload reuses its text. */
export class SharedPayloadEncoder extends Encoder {
  override encode(packet: Packet): string[] | ReturnType<Encoder['encode']> {
    const data: unknown = packet.data;
    const only = Array.isArray(data) && data.length === 1 ? (data[0] as unknown) : undefined;
    if (
      (packet.type === PacketType.ACK || packet.type === PacketType.EVENT) &&
      typeof only === 'object' &&
      only !== null &&
      encodings.has(only)
    ) {
      // The header exactly as encodeAsString writes it (type, namespace, ack id), then `[<payload>]`.
      const header = super.encode({ type: packet.type, nsp: packet.nsp, id: packet.id })[0] as string;
      return [sharedPacket(only, header)];
    }
    return super.encode(packet);
  }
}

/** The `parser` option of the socket.io server: this encoder, socket.io's own decoder. */
export const sharedEncodingParser = { Encoder: SharedPayloadEncoder, Decoder };

/** What useSharedFrames needs of an engine.io connection: socket.io writes every packet through it. */
export interface EngineConnection {
  write(data: unknown, options?: unknown, callback?: unknown): unknown;
}

/**
 * Lets an engine.io connection send a shared packet's frame instead of encoding its own copy.
 * engine.io's WebSocket transport sends `wsPreEncodedFrame` when it can (no per-message deflate)
 * and ignores it otherwise (long polling encodes the text as usual).
 */
export function useSharedFrames(conn: EngineConnection): void {
  const write = conn.write.bind(conn);
  conn.write = (data, options, callback) => {
    if (typeof data === 'string' && typeof options === 'object' && options !== null && !('wsPreEncodedFrame' in options)) {
      const frame = sharedFrameOf(data);
      if (frame) return write(data, Object.assign({}, options, { wsPreEncodedFrame: frame }), callback);
    }
    return write(data, options, callback);
  };
}
