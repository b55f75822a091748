// One client process of the reconnect storm (reconnect-storm.chaos.ts): opens `count` socket.io
// connections to /live that reconnect by themselves (the dashboard's back-off: 0.5 s to 5 s), and
// keeps for each the wall numbers of `regionId` as the protocol says: a snapshot from the
// subscribe ack on every (re)connect, then absolute `stats` frames; a frame that does not follow
// the last version applied (or a new epoch) asks for a new snapshot.
// stdin `status` → stdout one JSON line: how many sockets are connected, how many hold numbers,
// and how many hold each distinct set of numbers (the stock per status and the total reported).
// Usage: node test/chaos/storm-client.mjs <url> <token> <regionId> <count>
import { createInterface } from 'node:readline';
import { io } from 'socket.io-client';

const [url, token, regionArg, countArg] = process.argv.slice(2);
const regionId = Number(regionArg);
const count = Number(countArg);
const clients = [];

/** The numbers compared with the database: non-zero stock per status and the total reported. */
const fingerprint = (stats) =>
  JSON.stringify({
    stock: Object.keys(stats.stock)
      .sort()
      .filter((k) => stats.stock[k] !== 0)
      .map((k) => `${k}:${stats.stock[k]}`),
    reported: stats.total.reported,
  });

function open() {
  return new Promise((ready) => {
    const c = { socket: undefined, state: null, connects: 0, snapshots: 0, errors: 0 };
    const socket = io(`${url}/live`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
    });
    c.socket = socket;
    const resync = () =>
      socket.emit('subscribe', { regionId }, (ack) => {
        if (ack?.ok) {
          c.state = ack.snapshot;
          c.snapshots++;
        } else c.errors++;
        ready();
      });
    socket.on('connect', () => {
      c.connects++;
      resync();
    });
    socket.on('stats', (frame) => {
      if (frame.regionId !== regionId || !c.state) return;
      if (frame.epoch === c.state.epoch && frame.version <= c.state.version) return;
      if (frame.epoch !== c.state.epoch || frame.previousVersion !== c.state.version) return resync();
      c.state = frame;
    });
    socket.on('connect_error', () => {
      c.errors++;
      ready();
    });
    clients.push(c);
  });
}

// In waves of 250, as a fleet of screens coming on does.
for (let i = 0; i < count; i += 250) await Promise.all(Array.from({ length: Math.min(250, count - i) }, open));
process.stdout.write(`${JSON.stringify({ ready: clients.filter((c) => c.socket.connected).length })}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'status') continue;
  const numbers = {};
  let connected = 0;
  for (const c of clients) {
    if (!c.socket.connected) continue;
    connected++;
    if (!c.state) continue;
    const fp = fingerprint(c.state);
    numbers[fp] = (numbers[fp] ?? 0) + 1;
  }
  const sum = (k) => clients.reduce((n, c) => n + c[k], 0);
  process.stdout.write(
    `${JSON.stringify({ sockets: clients.length, connected, numbers, connects: sum('connects'), snapshots: sum('snapshots'), errors: sum('errors'), reconnected: clients.filter((c) => c.connects >= 2).length })}\n`,
  );
}
for (const c of clients) c.socket.disconnect();
