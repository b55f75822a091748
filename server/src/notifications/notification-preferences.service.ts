import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  defaultChannels,
  NOTIFICATION_KINDS,
  SMS_KINDS,
  type KindChannels,
  type NotificationKind,
  type NotificationPreferences,
  type UpdateNotificationPreferences,
} from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

interface Row {
  channels: Partial<Record<NotificationKind, Partial<KindChannels>>>;
  sms_phone: string | null;
}

/** Per user: which channels besides the inbox, per kind, and the SMS number. Read by the producer's SQL (notification-sql.ts). */
@Injectable()
export class NotificationPreferencesService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: ClockService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(actor: Actor): Promise<NotificationPreferences> {
    const rows: Row[] = await this.db.query('SELECT channels, sms_phone FROM notification_preferences WHERE user_id = $1', [actor.id]);
    return this.view(rows[0] ?? { channels: {}, sms_phone: null });
  }

  /** Merges what is given; SMS on for a kind that is not must-not-miss is refused (nothing written). */
  async update(actor: Actor, input: UpdateNotificationPreferences): Promise<NotificationPreferences> {
    const given = input.channels ?? {};
    const refused = NOTIFICATION_KINDS.filter((k) => given[k]?.sms === true && !SMS_KINDS.includes(k));
    if (refused.length) {
      throw new AppException('SMS_CHANNEL_UNAVAILABLE', `SMS is only for 红牌, 督办 and urgent dispatches, not ${refused.join(', ')}`, {
        kinds: refused,
      });
    }
    const patch: Row['channels'] = {};
    for (const k of NOTIFICATION_KINDS) {
      const c = given[k];
      if (!c) continue;
      patch[k] = { ...(c.push === undefined ? {} : { push: c.push }), ...(c.sms === undefined ? {} : { sms: c.sms }) };
    }
    const phoneGiven = input.smsPhone !== undefined;
    // jsonb || merges per kind only at the top level: merge each kind's object in SQL.
    const rows: Row[] = await this.db.query(
      `INSERT INTO notification_preferences AS p (user_id, channels, sms_phone, updated_at)
       VALUES ($1, $2::jsonb, $3, $5)
       ON CONFLICT (user_id) DO UPDATE SET
         channels = (SELECT COALESCE(jsonb_object_agg(k, COALESCE(p.channels -> k, '{}') || COALESCE($2::jsonb -> k, '{}')), '{}')
                       FROM jsonb_object_keys(p.channels || $2::jsonb) AS k),
         sms_phone = CASE WHEN $4 THEN $3 ELSE p.sms_phone END,
         updated_at = $5
       RETURNING channels, sms_phone`,
      [actor.id, JSON.stringify(patch), phoneGiven ? input.smsPhone : null, phoneGiven, this.clock.now()],
    );
    return this.view(rows[0]!);
  }

  private view(row: Row): NotificationPreferences {
    const channels = defaultChannels();
    for (const k of NOTIFICATION_KINDS) {
      const saved = row.channels[k];
      if (!saved) continue;
      channels[k] = { push: saved.push ?? channels[k].push, sms: SMS_KINDS.includes(k) && (saved.sms ?? channels[k].sms) };
    }
    return { channels, smsPhone: row.sms_phone, smsAvailable: this.config.sms.sender === 'http' || this.config.env !== 'production' };
  }
}
