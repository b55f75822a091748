import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Open311KeyCreated, Open311KeyView } from '@gridline/shared';
import { AdminChanges } from '../admin/core/admin-changes.service';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { KEY_PREFIX_LENGTH, keyDigest, newApiKey } from './api-key';

/** An Open311 client, as a request authenticated with its api_key. */
export interface Open311Client {
  keyId: number;
  name: string;
}

interface KeyRow {
  id: number;
  name: string;
  prefix: string;
  created_by: number | null;
  created_by_name: string | null;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

/** How often a key's last use is written (per instance): a timestamp, not a counter per request. */
const LAST_USED_EVERY_MS = 60_000;

const VIEW_SQL = `
  SELECT k.id, k.name, k.prefix, k.created_by, u.display_name AS created_by_name, k.created_at, k.revoked_at, k.last_used_at
    FROM open311_keys k LEFT JOIN users u ON u.id = k.created_by`;

const view = (r: KeyRow): Open311KeyView => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  createdBy: r.created_by,
  createdByName: r.created_by_name,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
});

const snapshot = (r: { name: string; prefix: string; revoked_at: Date | null }) => ({
  name: r.name,
  prefix: r.prefix,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

/** Open311 API keys: created (shown once), listed by prefix, revoked; and checked on every request that carries one. */
@Injectable()
export class Open311KeysService {
  private readonly logger = new Logger('open311');
  private readonly lastUsedWritten = new Map<number, number>();

  constructor(
    private readonly db: DataSource,
    private readonly changes: AdminChanges,
    private readonly clock: ClockService,
  ) {}

  /** The client a key belongs to, or 403 for a missing, unknown or revoked key. */
  async authenticate(key: string | undefined): Promise<Open311Client> {
    if (key === undefined || key === '') throw new AppException('API_KEY_INVALID', 'An api_key is required');
    if (key.length > 200) throw new AppException('API_KEY_INVALID', 'The api_key is not valid');
    const rows: { id: number; name: string; revoked_at: Date | null }[] = await this.db.query(
      'SELECT id, name, revoked_at FROM open311_keys WHERE key_sha256 = $1',
      [keyDigest(key)],
    );
    const row = rows[0];
    if (!row) throw new AppException('API_KEY_INVALID', 'The api_key is not valid');
    if (row.revoked_at !== null) throw new AppException('API_KEY_INVALID', 'The api_key has been revoked');
    this.noteUse(row.id);
    return { keyId: row.id, name: row.name };
  }

  async list(): Promise<Open311KeyView[]> {
    const rows: KeyRow[] = await this.db.query(`${VIEW_SQL} ORDER BY k.id`);
    return rows.map(view);
  }

  async create(actor: Actor, name: string): Promise<Open311KeyCreated> {
    const key = newApiKey();
    const prefix = key.slice(0, KEY_PREFIX_LENGTH);
    return this.changes.apply(actor, [], async (tx) => {
      const [row] = await tx.query<{ id: number; name: string; prefix: string; revoked_at: Date | null }>(
        `INSERT INTO open311_keys (name, prefix, key_sha256, created_by, created_at) VALUES ($1, $2, $3, $4, $5)
         RETURNING id, name, prefix, revoked_at`,
        [name, prefix, keyDigest(key), actor.id, tx.now],
      );
      await tx.audit({ entityType: 'api_key', entityId: row!.id, action: 'create', before: null, after: snapshot(row!) });
      const [created] = await tx.query<KeyRow>(`${VIEW_SQL} WHERE k.id = $1`, [row!.id]);
      return { ...view(created!), key };
    });
  }

  async revoke(actor: Actor, id: number): Promise<Open311KeyView> {
    return this.changes.apply(actor, [], async (tx) => {
      const [before] = await tx.query<KeyRow>(`${VIEW_SQL} WHERE k.id = $1 FOR UPDATE OF k`, [id]);
      if (!before) throw new AppException('NOT_FOUND', `Open311 key ${id} does not exist`);
      if (before.revoked_at !== null) return view(before);
      await tx.query('UPDATE open311_keys SET revoked_at = $2 WHERE id = $1', [id, tx.now]);
      const after = { ...before, revoked_at: tx.now };
      await tx.audit({ entityType: 'api_key', entityId: id, action: 'revoke', before: snapshot(before), after: snapshot(after) });
      return view(after);
    });
  }

  /** Records the key's last use, at most once a minute per key: a lost write only makes the time a little older. */
  private noteUse(keyId: number): void {
    const now = this.clock.now();
    const last = this.lastUsedWritten.get(keyId);
    if (last !== undefined && now.getTime() - last < LAST_USED_EVERY_MS) return;
    this.lastUsedWritten.set(keyId, now.getTime());
    this.db
      .query('UPDATE open311_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)', [keyId, now])
      .catch((err: Error) => this.logger.warn({ msg: 'could not record the last use of an Open311 key', keyId, err: err.message }));
  }
}
