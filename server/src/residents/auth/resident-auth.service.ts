import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { normalizeMobile, type LoginResult, type ResidentCodeResult } from '@gridline/shared';
import { AuthService } from '../../auth/auth.service';
import type { ClientInfo } from '../../auth/login-throttle';
import { AppException } from '../../common/app.exception';
import { ClockService } from '../../common/clock.service';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { NO_PASSWORD, RESIDENT_DISPLAY_NAME } from '../resident-account';
import { SMS_SENDER, type SmsSender } from '../sms/sms-sender';
import { hashLoginCode, LOGIN_CODE, newLoginCode, phoneKey } from './login-codes';
import { ResidentRateLimits } from './rate-limits';

/**
 * Residents sign in with a mainland mobile number and a six-digit one-time code: the code is
 * stored hashed, expires after five minutes, burns after five wrong tries, and each phone gets
 * at most one per minute and each address a bounded number per hour. The first sign-in creates
 * the resident and their account.
 */
@Injectable()
export class ResidentAuthService {
  constructor(
    private readonly db: DataSource,
    private readonly auth: AuthService,
    private readonly limits: ResidentRateLimits,
    private readonly clock: ClockService,
    @Inject(SMS_SENDER) private readonly sms: SmsSender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Sends a code; the development sender hands it back (`devCode`), a real one never. */
  async requestCode(rawPhone: string, ip: string): Promise<ResidentCodeResult | null> {
    const phone = this.requirePhone(rawPhone);
    const key = phoneKey(this.config.jwtSecret, phone);
    await this.limits.codeRequested(ip, key);
    const code = newLoginCode();
    const now = this.clock.now();
    // A new code replaces the one before (and its wrong tries).
    await this.db.query(
      `INSERT INTO resident_login_codes (phone_key, code_hash, expires_at, wrong_tries, created_at) VALUES ($1, $2, $3, 0, $4)
       ON CONFLICT (phone_key) DO UPDATE SET code_hash = EXCLUDED.code_hash, expires_at = EXCLUDED.expires_at, wrong_tries = 0,
                                             created_at = EXCLUDED.created_at`,
      [key, hashLoginCode(this.config.jwtSecret, phone, code), new Date(now.getTime() + LOGIN_CODE.ttlMs), now],
    );
    await this.sms.send({ phone, template: 'login_code', params: { code, minutes: String(LOGIN_CODE.ttlMs / 60_000) } });
    return this.sms.returnsCodes ? { devCode: code } : null;
  }

  async login(rawPhone: string, code: string, client: ClientInfo): Promise<LoginResult> {
    const phone = this.requirePhone(rawPhone);
    await this.limits.loginAttempted(client.ip);
    const key = phoneKey(this.config.jwtSecret, phone);
    const now = this.clock.now();
    // Used up by the statement that checks it: a code signs in once, however many tries race.
    // TypeORM answers a DELETE … RETURNING with [rows, count].
    const [used]: [unknown[], number] = await this.db.query(
      'DELETE FROM resident_login_codes WHERE phone_key = $1 AND code_hash = $2 AND expires_at > $3 RETURNING 1',
      [key, hashLoginCode(this.config.jwtSecret, phone, code), now],
    );
    if (used.length === 0) await this.wrongCode(key, now);
    return this.auth.signIn(await this.accountFor(phone, now), client);
  }

  /** Counts a wrong try against the live code (the fifth burns it) and refuses. */
  private async wrongCode(key: string, now: Date): Promise<never> {
    const [rows]: [{ wrong_tries: number }[], number] = await this.db.query(
      `UPDATE resident_login_codes SET wrong_tries = wrong_tries + 1 WHERE phone_key = $1 AND expires_at > $2 RETURNING wrong_tries`,
      [key, now],
    );
    const tries = rows[0]?.wrong_tries;
    if (tries === undefined) throw new AppException('CODE_EXPIRED', 'No valid code for this number: ask for a new one');
    if (tries >= LOGIN_CODE.maxWrongTries) {
      await this.db.query('DELETE FROM resident_login_codes WHERE phone_key = $1', [key]);
      throw new AppException('CODE_INVALID', 'Wrong code; it is now used up: ask for a new one', { triesLeft: 0 });
    }
    throw new AppException('CODE_INVALID', 'Wrong code', { triesLeft: LOGIN_CODE.maxWrongTries - tries });
  }

  /** The resident's account, created with the resident on first sign-in (the row lock makes racing first sign-ins agree). */
  private accountFor(phone: string, now: Date): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows: { id: number; user_id: number | null }[] = await tx.query(
        `INSERT INTO residents (phone, created_at, updated_at) VALUES ($1, $2, $2)
         ON CONFLICT (phone) DO UPDATE SET phone = EXCLUDED.phone RETURNING id, user_id`,
        [phone, now],
      );
      const resident = rows[0]!;
      if (resident.user_id !== null) return resident.user_id;
      const users: { id: number }[] = await tx.query(
        `INSERT INTO users (username, display_name, password_hash, role, created_at) VALUES ($1, $2, $3, 'resident', $4) RETURNING id`,
        [`resident_${resident.id}`, RESIDENT_DISPLAY_NAME, NO_PASSWORD, now],
      );
      const userId = users[0]!.id;
      await tx.query('UPDATE residents SET user_id = $2 WHERE id = $1', [resident.id, userId]);
      return userId;
    });
  }

  private requirePhone(raw: string): string {
    const phone = normalizeMobile(raw);
    if (!phone) throw new AppException('PHONE_INVALID', 'The phone number must be a mainland mobile number (11 digits, 13x–19x)');
    return phone;
  }
}
