/**
 * The machine's own limit for a burst of wall sockets, measured in the same run as
 * `bench:sockets`: a bare socket.io 4 server — no Nest, no auth, no database — in its own
 * process, that acks every `subscribe` with the same snapshot the real server sends (read from
 * the file given), encoded once like the real server's acks. The bench opens the same burst from
 * the same client processes against it: the time it takes is what the clients, the kernel and
 * socket.io cost on this machine before any of the app's work.
 * Run by sockets.bench.ts as `node sockets-reference.js <port> <snapshot.json>`; prints `ready`.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { shareEncoding, sharedEncodingParser } from '../live/shared-encoding';

const [portArg, snapshotFile] = process.argv.slice(2);
/** The real server's listen backlog (main.ts), so both queue a burst the same way. */
const LISTEN_BACKLOG = 4096;

/** One reply for every ack, its JSON made once: the real server makes one per moment of a burst. */
const reply = shareEncoding({ ok: true, snapshot: JSON.parse(readFileSync(snapshotFile!, 'utf8')) as unknown });
const http = createServer();
const io = new Server(http, { serveClient: false, transports: ['websocket'], parser: sharedEncodingParser });

io.of('/live').on('connection', (socket) => {
  socket.on('subscribe', (_message: unknown, ack: (reply: object) => void) => {
    if (typeof ack === 'function') ack(reply);
  });
});

http.listen(Number(portArg), '127.0.0.1', LISTEN_BACKLOG, () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => void io.close(() => process.exit(0)));
