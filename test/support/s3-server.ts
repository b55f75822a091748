import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
// s3rver: an S3-protocol server in Node (an npm dev-dependency, so `npm ci` installs it). It refuses unknown access keys;
// it parses SigV4 signatures but does not verify them.
import S3rver from 's3rver';

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  /** The variables that point the app at this server. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts an S3 server on 127.0.0.1 and a free port, with one empty bucket, its objects in a temporary folder. */
export async function startS3Server(bucket = 'gridline-photos'): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'gridline-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    allowMismatchedSignatures: false,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  let closed = false;
  return {
    endpoint,
    bucket,
    env: {
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_REGION: 'us-east-1',
      // s3rver's fixed credentials; other access key ids are refused.
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    },
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
