import { Logger, type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { Pool, type PoolClient } from 'pg';
import { createClient } from 'redis';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/app-config';
import { sharedEncodingParser, useSharedFrames, type EngineConnection } from './shared-encoding';

/** Client messages are a few dozen bytes; anything larger is refused by the transport. */
const MAX_MESSAGE_BYTES = 16 * 1024;

/** The inter-instance link of socket.io: its adapter and how to close its connections (bench:adapter measures it). */
export interface ClusterLink {
  adapter: ReturnType<typeof createPostgresAdapter> | ReturnType<typeof createRedisStreamsAdapter>;
  close(): Promise<void>;
}

/**
 * socket.io for Nest with a cluster adapter, so several instances share rooms and frames:
 * Redis Streams when REDIS_URL is set, otherwise PostgreSQL (LISTEN/NOTIFY on a small pool of
 * its own, outside any issue transaction; large packets go through `socket_io_attachments`).
 * Its connections close with the app (`dispose`).
 */
export class LiveIoAdapter extends IoAdapter {
  private constructor(
    app: INestApplicationContext,
    private readonly link: ClusterLink,
  ) {
    super(app);
  }

  static async create(app: INestApplicationContext, config: AppConfig): Promise<LiveIoAdapter> {
    return new LiveIoAdapter(app, config.redisUrl ? await redisLink(config.redisUrl) : postgresLink(config.databaseUrl));
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    // eslint-disable-next-line gridline/no-spread-then-extend -- made once, at startup
    const server = super.createIOServer(port, {
      ...options,
      serveClient: false,
      maxHttpBufferSize: MAX_MESSAGE_BYTES,
      parser: sharedEncodingParser,
    }) as Server;
    server.adapter(this.link.adapter);
    // Shared acks (a burst of walls' snapshots) go out as one frame made once (shared-encoding.ts).
    server.engine.on('connection', (conn: EngineConnection) => useSharedFrames(conn));
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await this.link.close();
  }
}

const POOL_END_TIMEOUT_MS = 2_000;

export function postgresLink(databaseUrl: string): ClusterLink {
  const logger = new Logger('LiveIoAdapter');
  const pool = new Pool({ connectionString: databaseUrl, max: 3, application_name: 'gridline-socket.io' });
  pool.on('error', (err) => logger.warn({ msg: 'socket.io adapter connection error', err: err.message }));
  // The adapter keeps one client checked out for LISTEN and never listens for its errors: when
  // PostgreSQL restarts, that client's 'error' would be unhandled and end the process. Handled
  // here, the client then ends and the adapter reconnects by itself (with a new client). The dead
  // one it never gives back: released here, or each restart would keep one of the pool's 3 slots.
  const checkedOut = new WeakSet<PoolClient>();
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_err, client) => checkedOut.delete(client));
  pool.on('connect', (client) => {
    client.on('error', (err) => logger.warn({ msg: 'socket.io adapter client lost', err: err.message }));
    client.once('end', () => {
      if (checkedOut.has(client)) client.release(new Error('connection ended while checked out'));
    });
  });
  return {
    adapter: createPostgresAdapter(pool, { errorHandler: (err) => logger.warn({ msg: 'socket.io adapter error', err: err.message }) }),
    // pool.end() waits for every checked-out client. The adapter takes its LISTEN client from this
    // pool in the background; closed while that is still connecting (an app stopped right after it
    // started), it never gives it back and end() would wait forever. Bounded: a shutdown must end.
    close: () => Promise.race([pool.end(), new Promise<void>((resolve) => setTimeout(resolve, POOL_END_TIMEOUT_MS).unref())]),
  };
}

export async function redisLink(url: string): Promise<ClusterLink> {
  const logger = new Logger('LiveIoAdapter');
  const client = createClient({ url });
  client.on('error', (err: Error) => logger.warn({ msg: 'redis error', err: err.message }));
  await client.connect();
  return {
    adapter: createRedisStreamsAdapter(client),
    close: async () => {
      client.destroy();
    },
  };
}
