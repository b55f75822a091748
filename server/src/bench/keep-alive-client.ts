import { connect, type Socket } from 'node:net';

/** An answer as the benches need it: the status and the body's bytes. */
export interface RawResponse {
  status: number;
  body: Buffer;
}

interface Pending {
  resolve: (res: RawResponse) => void;
  reject: (err: Error) => void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * A small HTTP/1.1 client for the benches' open loops: keep-alive sockets to one server, one
 * request at a time on each (no pipelining), answers read by their Content-Length.
 *
 * Why not fetch: on a 2-core machine the load generator shares the CPU with the server and
 * PostgreSQL, and fetch (undici) spent about 1.8 ms of CPU per report, about as much as the
 * server itself; this client spends a small fraction of that, so a steady load measures the
 * server rather than its client. It speaks only what the benches send: requests it builds with
 * `request()`, answers with a Content-Length (the server's JSON replies).
 */
export class KeepAliveClient {
  private readonly idle: Socket[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Map<Socket, Pending>();
  private open = 0;

  constructor(
    private readonly port: number,
    private readonly maxSockets = 64,
  ) {}

  /** Sends one request (method, path, headers, JSON body) and resolves with its answer. */
  async request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
    const payload = body === undefined ? undefined : Buffer.from(body);
    const head =
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\n` +
      Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('') +
      (payload ? `Content-Length: ${payload.length}\r\n` : '') +
      '\r\n';
    const socket = await this.socket();
    return new Promise<RawResponse>((resolve, reject) => {
      this.pending.set(socket, { resolve, reject });
      socket.write(payload ? Buffer.concat([Buffer.from(head), payload]) : head);
    });
  }

  close(): void {
    for (const socket of this.idle) socket.destroy();
    for (const socket of this.pending.keys()) socket.destroy();
  }

  /** An idle socket, a new one while under the cap, or the next one freed. */
  private async socket(): Promise<Socket> {
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.open < this.maxSockets) return this.connect();
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.socket();
  }

  private connect(): Promise<Socket> {
    this.open++;
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: this.port, noDelay: true }, () => resolve(socket));
      let buffered: Buffer = Buffer.alloc(0);
      let closed = false;
      socket.on('data', (chunk: Buffer) => {
        buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
        let answer: RawResponse | null;
        try {
          answer = parseAnswer(buffered);
        } catch (err) {
          socket.destroy(err as Error);
          return;
        }
        if (!answer) return;
        buffered = Buffer.alloc(0);
        const waiter = this.pending.get(socket);
        this.pending.delete(socket);
        this.release(socket);
        waiter?.resolve(answer);
      });
      const fail = (err: Error) => {
        if (closed) return;
        closed = true;
        this.open--;
        const waiter = this.pending.get(socket);
        this.pending.delete(socket);
        const at = this.idle.indexOf(socket);
        if (at >= 0) this.idle.splice(at, 1);
        waiter?.reject(err);
        reject(err);
        this.waiting.shift()?.();
      };
      socket.on('error', fail);
      socket.on('close', () => fail(new Error('the server closed the connection')));
    });
  }

  private release(socket: Socket): void {
    this.idle.push(socket);
    this.waiting.shift()?.();
  }
}

/** A whole answer from the bytes read so far, or null while some are still to come. */
function parseAnswer(bytes: Buffer): RawResponse | null {
  const end = bytes.indexOf(HEADER_END);
  if (end < 0) return null;
  const head = bytes.subarray(0, end).toString('latin1');
  const status = Number(head.slice(9, 12));
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (!length) throw new Error(`an answer without Content-Length (status ${status}): the bench client does not read chunked bodies`);
  const bodyStart = end + HEADER_END.length;
  const bodyEnd = bodyStart + Number(length[1]);
  if (bytes.length < bodyEnd) return null;
  return { status, body: bytes.subarray(bodyStart, bodyEnd) };
}
