import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';

/**
 * One JSON encoding for a payload that many sockets are sent on their own (not as one broadcast):
 * the subscribe ack of a burst of walls returning to the same region carries the same snapshot
 * to each. socket.io encodes every ack separately, JSON and all; this encoder keeps the JSON text
 * of a payload marked with `shareEncoding` and writes only the packet's header per socket.
 *
 * The wire format is unchanged (socket.io-parser's string packets): clients notice nothing. A
 * marked payload must be plain JSON data (no Buffers) and is never changed afterwards: it is
 * frozen when marked, and its text is made once, on first send.
 */
const encodings = new WeakMap<object, string | null>();

/** Marks `payload` (frozen from now on) for one shared encoding; returns it. */
export function shareEncoding<T extends object>(payload: T): T {
  if (!encodings.has(payload)) encodings.set(Object.freeze(payload), null);
  return payload;
}

function sharedJson(payload: object): string {
  let text = encodings.get(payload);
  if (text == null) {
    text = JSON.stringify(payload);
    encodings.set(payload, text);
  }
  return text;
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
      return [`${header}[${sharedJson(only)}]`];
    }
    return super.encode(packet);
  }
}

/** The `parser` option of the socket.io server: this encoder, socket.io's own decoder. */
export const sharedEncodingParser = { Encoder: SharedPayloadEncoder, Decoder };
