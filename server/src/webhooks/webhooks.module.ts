import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { WebhookDeliveryLog } from './admin/webhook-delivery-log.service';
import { WebhookInputRules } from './admin/webhook-input';
import { WebhookSubscriptions } from './admin/webhook-subscriptions.service';
import { WebhooksController } from './admin/webhooks.controller';
import { WebhookDeliveries } from './webhook-deliveries.service';
import { WebhookFanout } from './webhook-fanout.service';

/**
 * Outbound webhooks: subscriptions (admin API), delivery rows made from events (WebhookFanout)
 * and the sender that works them off with retries (WebhookDeliveries).
 */
@Module({
  imports: [EventsModule],
  controllers: [WebhooksController],
  providers: [WebhookFanout, WebhookDeliveries, WebhookSubscriptions, WebhookDeliveryLog, WebhookInputRules],
  exports: [WebhookFanout, WebhookDeliveries],
})
export class WebhooksModule {}
