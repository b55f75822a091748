/**
 * One client process of the sockets bench: opens `count` socket.io connections to /live,
 * subscribes each to a region, reports on stdout as JSON lines: `{ ready }` once all are
 * subscribed, `{ got, issueId, ms }` when every socket received the issue frame it was told to
 * wait for (the parent sends `{ waitFor, at }` lines on stdin).
 */
import { createInterface } from 'node:readline';
import { io, type Socket } from 'socket.io-client';

const [url, token, regionArg, countArg] = process.argv.slice(2);
const regionId = Number(regionArg);
const count = Number(countArg);
const sockets: Socket[] = [];
const seen = new Map<number, number>();
let subscribed = 0;

function open(): Promise<void> {
  return new Promise((resolve) => {
    const socket = io(`${url}/live`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('issue', (frame: { issueId: number }) => seen.set(frame.issueId, (seen.get(frame.issueId) ?? 0) + 1));
    socket.on('connect', () => {
      socket.emit('subscribe', { regionId }, () => {
        subscribed++;
        resolve();
      });
    });
    socket.on('connect_error', (err) => {
      process.stderr.write(`connect_error ${err.message}\n`);
      resolve();
    });
    sockets.push(socket);
  });
}

async function main(): Promise<void> {
  // In waves of 200: a real fleet of screens does not all connect in the same millisecond either.
  for (let i = 0; i < count; i += 200) await Promise.all(Array.from({ length: Math.min(200, count - i) }, open));
  process.stdout.write(`${JSON.stringify({ ready: subscribed })}\n`);
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const { waitFor, at } = JSON.parse(line) as { waitFor: number; at: number };
    const started = Date.now();
    while ((seen.get(waitFor) ?? 0) < subscribed && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 5));
    process.stdout.write(`${JSON.stringify({ got: seen.get(waitFor) ?? 0, issueId: waitFor, ms: Date.now() - at })}\n`);
  }
  for (const s of sockets) s.disconnect();
}

void main();
