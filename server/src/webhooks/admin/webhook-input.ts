import { Inject, Injectable } from '@nestjs/common';
import { isValidEventFilter } from '@gridline/shared';
import { AppException } from '../../common/app.exception';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { RegionsService } from '../../regions/regions.service';
import { checkTarget } from '../target-guard';

/** The checks of a subscription's fields, each refusal a 400 with its own code; nothing is written before they pass. */
@Injectable()
export class WebhookInputRules {
  constructor(
    private readonly regions: RegionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  refuseSecret(body: { secret?: unknown }): void {
    if (body.secret !== undefined) {
      throw new AppException('WEBHOOK_SECRET_NOT_ACCEPTED', 'The server makes the signing secret; rotate it with POST …/rotate-secret', {
        field: 'secret',
      });
    }
  }

  /** A normalised http(s) URL the guard lets us call. */
  async url(raw: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new AppException('WEBHOOK_URL_INVALID', 'url is not a valid absolute URL', { field: 'url' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new AppException('WEBHOOK_URL_INVALID', `url must be http or https, not ${url.protocol.slice(0, -1)}`, { field: 'url' });
    }
    if (url.username || url.password) {
      throw new AppException('WEBHOOK_URL_INVALID', 'url must not carry credentials (user:password@)', { field: 'url' });
    }
    url.hash = '';
    const why = await checkTarget({ blockPrivate: this.config.webhookBlockPrivate, allowedHosts: this.config.webhookAllowedHosts }, url);
    if (why) throw new AppException('WEBHOOK_TARGET_FORBIDDEN', `url is refused: ${why}`, { field: 'url' });
    return url.toString();
  }

  /** Known types or prefix wildcards, without repeats. */
  events(filters: readonly string[]): string[] {
    const unknown = filters.filter((f) => !isValidEventFilter(f));
    if (unknown.length > 0) {
      throw new AppException('WEBHOOK_EVENTS_INVALID', `Unknown event types: ${unknown.join(', ')}`, { field: 'events', unknown });
    }
    return [...new Set(filters)];
  }

  /**
   * A region of the admin's tree. Administrators hold the whole tree today, so this refuses
   * regions that do not exist or were closed; a scoped administrator would be checked here.
   */
  region(regionId: number | null | undefined): number | null {
    if (regionId === undefined || regionId === null) return null;
    const region = this.regions.get(regionId);
    if (!region || !this.regions.isOpen(region)) {
      throw new AppException('WEBHOOK_REGION_INVALID', `Region ${regionId} does not exist or is closed`, { field: 'regionId' });
    }
    return regionId;
  }
}
