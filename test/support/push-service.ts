import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message as a push service (RFC 8030) received it. */
export interface PushRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * A push service on 127.0.0.1 for tests: records each POST and answers with the status the test
 * chooses per path (201 Created by default, 410 Gone for an expired subscription…).
 */
export class LoopbackPushService {
  readonly received: PushRequest[] = [];
  status: (path: string) => number = () => 201;
  private server: Server | null = null;
  origin = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(this.status(path), { location: `${this.origin}/message/${this.received.length}` }).end();
      });
    });
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}

/** What a browser keeps for one subscription: its P-256 key pair and the auth secret (RFC 8291 §2). */
export class BrowserKeys {
  readonly ecdh: ECDH = createECDH('prime256v1');
  readonly auth = randomBytes(16);
  readonly publicKey: Buffer;

  constructor() {
    this.publicKey = this.ecdh.generateKeys();
  }

  /** As `PushSubscription.toJSON().keys`. */
  json(): { p256dh: string; auth: string } {
    return { p256dh: this.publicKey.toString('base64url'), auth: this.auth.toString('base64url') };
  }

  /**
   * Decrypts an `aes128gcm` message body as a browser does, written from RFC 8188 (the record
   * header and framing) and RFC 8291 §3.3–3.4 (the key derivation), with node:crypto only.
   */
  decrypt(body: Buffer): string {
    const salt = body.subarray(0, 16);
    const rs = body.readUInt32BE(16);
    const idlen = body[20]!;
    const serverPublic = body.subarray(21, 21 + idlen);
    const records = body.subarray(21 + idlen);
    if (idlen !== 65) throw new Error(`keyid must be the server's 65-byte public key, got ${idlen} bytes`);
    if (records.length > rs) throw new Error('one record expected');
    const shared = this.ecdh.computeSecret(serverPublic);
    const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), this.publicKey, serverPublic]);
    const ikm = Buffer.from(hkdfSync('sha256', shared, this.auth, keyInfo, 32));
    const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
    const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(records.subarray(records.length - 16));
    const padded = Buffer.concat([decipher.update(records.subarray(0, records.length - 16)), decipher.final()]);
    // the last record: data, then the delimiter 0x02, then zero padding
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    if (padded[end] !== 2) throw new Error('the last record must end with the 0x02 delimiter');
    return padded.subarray(0, end).toString('utf8');
  }
}

/** Checks a VAPID `Authorization: vapid t=<jwt>, k=<key>` header (RFC 8292): ES256 over the JWT by that key; returns its claims. */
export function verifyVapid(header: string, expectedKey: string): { aud: string; exp: number; sub: string } {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header);
  if (!m) throw new Error(`not a vapid Authorization header: ${header}`);
  const [, jwt, key] = m as unknown as [string, string, string];
  if (key !== expectedKey) throw new Error('k= is not the server’s VAPID public key');
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const point = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') },
    format: 'jwk',
  });
  const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  if (!ok) throw new Error('the VAPID JWT signature does not verify');
  const header0 = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg: string };
  if (header0.alg !== 'ES256') throw new Error(`alg ${header0.alg}`);
  return JSON.parse(Buffer.from(p, 'base64url').toString()) as { aud: string; exp: number; sub: string };
}
