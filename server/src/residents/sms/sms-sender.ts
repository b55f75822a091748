import { Logger } from '@nestjs/common';
import { maskPhone } from '@gridline/shared';
import { AppException } from '../../common/app.exception';
import type { SmsConfig } from '../../config/app-config';

/** A text message to one person (a resident's sign-in code, a staff member's must-not-miss notification): a template and its parameters, so providers with approved templates fit. */
export interface SmsMessage {
  phone: string;
  template: 'login_code' | 'notification';
  params: Record<string, string>;
}

/** Sends text messages. `returnsCodes` says whether the caller may be handed the code instead (development only). */
export interface SmsSender {
  readonly returnsCodes: boolean;
  send(message: SmsMessage): Promise<void>;
}

export const SMS_SENDER = Symbol('SMS_SENDER');

/** Development: nothing is sent; the log says a message went out, with the number masked and no code. */
export class LogSmsSender implements SmsSender {
  readonly returnsCodes = true;
  private readonly logger = new Logger('sms');

  send(message: SmsMessage): Promise<void> {
    this.logger.log({ msg: 'sms not sent (log sender)', to: maskPhone(message.phone), template: message.template });
    return Promise.resolve();
  }
}

const SEND_TIMEOUT_MS = 5000;

/**
 * Production: a JSON POST to the provider's gateway (`SMS_HTTP_URL`, bearer `SMS_HTTP_TOKEN`),
 * `{ phone, template, params }`. Any answer but 2xx, or none within 5 s, is a failed send (503).
 */
export class HttpSmsSender implements SmsSender {
  readonly returnsCodes = false;
  private readonly logger = new Logger('sms');

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async send(message: SmsMessage): Promise<void> {
    let status = 0;
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
        body: JSON.stringify(message),
        redirect: 'error',
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      status = res.status;
    } catch {
      status = 0;
    }
    if (status < 200 || status >= 300) {
      this.logger.warn({ msg: 'sms send failed', to: maskPhone(message.phone), status });
      throw new AppException('SMS_UNAVAILABLE', 'The text message could not be sent; try again in a moment');
    }
  }
}

export function createSmsSender(config: SmsConfig): SmsSender {
  switch (config.sender) {
    case 'log':
      return new LogSmsSender();
    case 'http':
      return new HttpSmsSender(config.url, config.token);
  }
}
