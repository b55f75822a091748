import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import { SHARED_PACKETS_KEPT, SharedPayloadEncoder, shareEncoding, sharedFrameOf, useSharedFrames } from './shared-encoding';

const snapshot = () => ({ ok: true, snapshot: { version: 7, epoch: 'e1', feed: [{ issueId: 1, title: '占道经营 "东门"' }] } });

function decode(encoded: unknown[]): Packet {
  const decoder = new Decoder();
  let packet: Packet | undefined;
  decoder.on('decoded', (p: Packet) => (packet = p));
  for (const part of encoded) decoder.add(part as string);
  return packet!;
}

describe('SharedPayloadEncoder', () => {
  const shared = new SharedPayloadEncoder();
  const plain = new Encoder();

  it('writes a shared payload exactly as socket.io does, for acks and events, in a namespace or not', () => {
    const payload = shareEncoding(snapshot());
    const packets: Packet[] = [
      { type: PacketType.ACK, nsp: '/live', id: 12, data: [payload] },
      { type: PacketType.ACK, nsp: '/', id: 0, data: [payload] },
      { type: PacketType.EVENT, nsp: '/live', data: [payload] },
    ];
    for (const packet of packets) expect(shared.encode(packet)).toEqual(plain.encode(packet));
  });

  it('gives each socket its own ack id around the one payload, which decodes to the same data', () => {
    const payload = shareEncoding(snapshot());
    const a = shared.encode({ type: PacketType.ACK, nsp: '/live', id: 1, data: [payload] });
    const b = shared.encode({ type: PacketType.ACK, nsp: '/live', id: 2, data: [payload] });
    expect(decode(a)).toMatchObject({ type: PacketType.ACK, id: 1, data: [snapshot()] });
    expect(decode(b)).toMatchObject({ type: PacketType.ACK, id: 2, data: [snapshot()] });
  });

  it('makes the JSON text of a shared payload once, however many sockets it is sent to', () => {
    const payload = shareEncoding(snapshot());
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      for (let id = 0; id < 100; id++) shared.encode({ type: PacketType.ACK, nsp: '/live', id, data: [payload] });
      const ofPayload = stringify.mock.calls.filter(([value]) => value === payload || (Array.isArray(value) && value[0] === payload));
      expect(ofPayload).toHaveLength(1);
    } finally {
      stringify.mockRestore();
    }
  });

  it('freezes a shared payload, so the text made once cannot go stale', () => {
    const payload = shareEncoding(snapshot()) as { ok: boolean };
    expect(Object.isFrozen(payload)).toBe(true);
    expect(() => {
      'use strict';
      payload.ok = false;
    }).toThrow(TypeError);
  });

  it('leaves every other packet to socket.io: unmarked data, several arguments, binary', () => {
    const payload = shareEncoding(snapshot());
    const others: Packet[] = [
      { type: PacketType.EVENT, nsp: '/live', data: ['issues', [{ issueId: 3 }]] },
      { type: PacketType.EVENT, nsp: '/live', data: [payload, 'second'] },
      { type: PacketType.ACK, nsp: '/live', id: 4, data: [{ ok: true }] },
      { type: PacketType.EVENT, nsp: '/live', data: ['photo', Buffer.from([1, 2, 3])] },
      { type: PacketType.CONNECT, nsp: '/live', data: { sid: 'abc' } },
    ];
    for (const packet of others) expect(shared.encode(packet)).toEqual(plain.encode(packet));
  });

  it('gives the sockets with the same ack header one packet and one WebSocket frame of it, the text frame ws would write', () => {
    const payload = shareEncoding({ ...snapshot(), note: '网格'.repeat(100) });
    const [a] = shared.encode({ type: PacketType.ACK, nsp: '/live', id: 0, data: [payload] }) as string[];
    const [b] = shared.encode({ type: PacketType.ACK, nsp: '/live', id: 0, data: [payload] }) as string[];
    expect(b).toBe(a);
    const frame = sharedFrameOf(a!)!;
    expect(sharedFrameOf(b!)).toBe(frame);
    const bytes = Buffer.concat(frame);
    const message = Buffer.from(`4${a}`); // engine.io's message type, then the socket.io packet, UTF-8
    // FIN + text opcode, unmasked, 16-bit length (the message is over 125 bytes), then the message
    expect([...bytes.subarray(0, 4)]).toEqual([0x81, 126, message.length >> 8, message.length & 0xff]);
    expect(bytes.subarray(4).equals(message)).toBe(true);
  });

  it('has no frame for any other text, nor for another ack id until it is encoded', () => {
    const payload = shareEncoding(snapshot());
    const [a] = shared.encode({ type: PacketType.ACK, nsp: '/live', id: 0, data: [payload] }) as string[];
    expect(sharedFrameOf(a!.replace('0[', '1['))).toBeUndefined();
    expect(sharedFrameOf(JSON.stringify(payload))).toBeUndefined();
    const [c] = shared.encode({ type: PacketType.ACK, nsp: '/live', id: 1, data: [payload] }) as string[];
    expect(sharedFrameOf(c!)).toBeDefined();
    expect(sharedFrameOf(c!)).not.toBe(sharedFrameOf(a!));
  });

  it(`keeps the frames of the latest ${SHARED_PACKETS_KEPT} packets only, and still encodes the older ones right`, () => {
    const payload = shareEncoding(snapshot());
    const encode = (id: number) => (shared.encode({ type: PacketType.ACK, nsp: '/live', id, data: [payload] }) as string[])[0]!;
    const first = encode(1000);
    for (let id = 1001; id <= 1000 + SHARED_PACKETS_KEPT; id++) encode(id);
    expect(sharedFrameOf(first)).toBeUndefined();
    expect(sharedFrameOf(encode(1000 + SHARED_PACKETS_KEPT))).toBeDefined();
    expect(decode([encode(1000)])).toMatchObject({ type: PacketType.ACK, id: 1000, data: [snapshot()] });
  });
});

describe('useSharedFrames', () => {
  const writes: { data: unknown; options: unknown }[] = [];
  const conn = { write: (data: unknown, options?: unknown) => writes.push({ data, options }) };
  useSharedFrames(conn);

  beforeEach(() => (writes.length = 0));

  it("hands a shared packet's frame to engine.io with the write, and leaves every other write as it was", () => {
    const payload = shareEncoding(snapshot());
    const [packet] = new SharedPayloadEncoder().encode({ type: PacketType.ACK, nsp: '/live', id: 0, data: [payload] }) as string[];
    const broadcastFrame = [Buffer.from('x')];
    conn.write(packet, { compress: true });
    conn.write('2["issues",[]]', { compress: true });
    conn.write(packet, { wsPreEncodedFrame: broadcastFrame });
    expect(writes).toEqual([
      { data: packet, options: { compress: true, wsPreEncodedFrame: sharedFrameOf(packet!) } },
      { data: '2["issues",[]]', options: { compress: true } },
      { data: packet, options: { wsPreEncodedFrame: broadcastFrame } },
    ]);
    expect(sharedFrameOf(packet!)).toBeDefined();
  });
});
