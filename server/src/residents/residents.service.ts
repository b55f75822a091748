import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { normalizeMobile } from '@gridline/shared';
import { AppException } from '../common/app.exception';
import type { ResidentContactRow } from './contact-disclosure';

/**
 * The one store of residents' personal data (phone, name). Issues point at a row by
 * `issues.resident_id`; nothing else keeps a copy. Reads hand the row to `contactView`, which
 * masks it for whoever is not the handling dispatcher.
 */
@Injectable()
export class ResidentsService {
  constructor(private readonly db: DataSource) {}

  async contactRow(residentId: number | null, db: DataSource | EntityManager = this.db): Promise<ResidentContactRow | null> {
    if (residentId === null) return null;
    const rows: ResidentContactRow[] = await db.query('SELECT id, phone, name FROM residents WHERE id = $1', [residentId]);
    return rows[0] ?? null;
  }

  /**
   * The resident with this phone number, created on first sight. A name given now fills in or
   * corrects the stored one; a missing name keeps it. Runs in the caller's transaction when given one.
   */
  async upsertContact(db: DataSource | EntityManager, input: { phone: string; name?: string | null }, now: Date): Promise<number> {
    const phone = normalizeMobile(input.phone);
    if (!phone) throw new AppException('PHONE_INVALID', 'The phone number must be a mainland mobile number (11 digits, 13x–19x)');
    const rows: { id: number }[] = await db.query(
      `INSERT INTO residents (phone, name, created_at, updated_at) VALUES ($1, $2, $3, $3)
       ON CONFLICT (phone) DO UPDATE SET name = COALESCE(EXCLUDED.name, residents.name),
                                         updated_at = CASE WHEN EXCLUDED.name IS NULL THEN residents.updated_at ELSE EXCLUDED.updated_at END
       RETURNING id`,
      [phone, input.name ?? null, now],
    );
    return rows[0]!.id;
  }

  /** The contact row of a resident's own account (sign-in links the two), for their reports. */
  async residentIdOfUser(userId: number, db: DataSource | EntityManager = this.db): Promise<number | null> {
    const rows: { id: number }[] = await db.query('SELECT id FROM residents WHERE user_id = $1', [userId]);
    return rows[0]?.id ?? null;
  }
}
