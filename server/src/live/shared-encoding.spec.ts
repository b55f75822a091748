import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import { SharedPayloadEncoder, shareEncoding } from './shared-encoding';

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
});
