/**
 * One client process of the sockets bench: opens `count` socket.io connections to /live,
 * subscribes each to a region, and answers the parent's commands (JSON lines on stdin) with JSON
 * lines on stdout:
 * - at start, and after `{ cmd: 'open' }`: `{ ready }` once every socket is subscribed;
 * - `{ cmd: 'wait', waitFor, at }`: `{ got, issueId, ms }` when every socket received that issue frame;
 * - `{ cmd: 'heartbeats', ms }`: `{ sockets, heartbeats }`, the sockets that heard at least one heartbeat in that window;
 * - `{ cmd: 'close' }`: every socket disconnects, then `{ closed }`.
 */
import { createInterface } from 'node:readline';
import { io, type Socket } from 'socket.io-client';

const [url, token, regionArg, countArg, waveArg] = process.argv.slice(2);
const regionId = Number(regionArg);
const count = Number(countArg);
/** Sockets opened at once: the whole count for a burst (screens coming back after a network blip). */
const wave = Number(waveArg ?? 200);
let sockets: Socket[] = [];
const seen = new Map<number, number>();
const heard = new Set<Socket>();
let subscribed = 0;

const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

function open(): Promise<void> {
  return new Promise((resolve) => {
    const socket = io(`${url}/live`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('issues', (frames: { issueId: number }[]) => {
      for (const frame of frames) seen.set(frame.issueId, (seen.get(frame.issueId) ?? 0) + 1);
    });
    socket.on('heartbeat', () => heard.add(socket));
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

async function openAll(): Promise<void> {
  subscribed = 0;
  for (let i = 0; i < count; i += wave) await Promise.all(Array.from({ length: Math.min(wave, count - i) }, open));
  say({ ready: subscribed });
}

async function main(): Promise<void> {
  await openAll();
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const command = JSON.parse(line) as { cmd: 'open' | 'close' | 'wait' | 'heartbeats'; waitFor?: number; at?: number; ms?: number };
    if (command.cmd === 'open') await openAll();
    if (command.cmd === 'close') {
      for (const s of sockets) s.disconnect();
      sockets = [];
      say({ closed: true });
    }
    if (command.cmd === 'heartbeats') {
      heard.clear();
      await new Promise((r) => setTimeout(r, command.ms));
      say({ sockets: sockets.filter((s) => s.connected).length, heartbeats: heard.size });
    }
    if (command.cmd === 'wait') {
      const started = Date.now();
      const waitFor = command.waitFor!;
      while ((seen.get(waitFor) ?? 0) < subscribed && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 5));
      say({ got: seen.get(waitFor) ?? 0, issueId: waitFor, ms: Date.now() - command.at! });
    }
  }
  for (const s of sockets) s.disconnect();
}

void main();
