/**
 * The machine's own socket.io limit, measured in the same run as `bench:live` (LIMITS.md asks for
 * ratios to a reference taken at the same time): a bare socket.io 4 server — no Nest, no database —
 * in its own process, broadcasting a ~300-byte event to every client at a given rate.
 * Run by live.bench.ts as `node socketio-reference.js <port>`; a client sends `go { rate, seconds }`.
 */
import { Server } from 'socket.io';

const port = Number(process.argv[2]);
const io = new Server(port, { serveClient: false, transports: ['websocket'] });
const pad = 'x'.repeat(300);

io.on('connection', (socket) => {
  void socket.join('all');
  socket.on('go', ({ rate, seconds }: { rate: number; seconds: number }, ack: () => void) => {
    const total = Math.round(rate * seconds);
    const start = Date.now();
    let sent = 0;
    const tick = () => {
      const due = Math.floor(((Date.now() - start) * rate) / 1000) + 1;
      for (; sent < Math.min(due, total); sent++) io.to('all').emit('tick', { at: Date.now(), pad });
      if (sent < total) setTimeout(tick, Math.max(1, 1000 / rate / 2));
      else ack();
    };
    tick();
  });
});
process.on('SIGTERM', () => void io.close(() => process.exit(0)));
