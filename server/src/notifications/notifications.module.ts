import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LiveModule } from '../live/live.module';
import { createSmsSender, SMS_SENDER } from '../residents/sms/sms-sender';
import { ScopeModule } from '../scope/scope.module';
import { NotificationDeliveries } from './notification-deliveries.service';
import { NotificationLive } from './notification-live.service';
import { NotificationPreferencesService } from './notification-preferences.service';
import { NotificationProducer } from './notification-producer.service';
import { NotificationReceiptsService } from './notification-receipts.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { PushSubscriptionsService } from './push/push-subscriptions.service';

/** Notifications (ADR 0038): inbox from the event relay, live frames, Web Push and SMS deliveries, preferences, receipts. */
@Module({
  imports: [LiveModule, ScopeModule],
  controllers: [NotificationsController],
  providers: [
    NotificationProducer,
    NotificationsService,
    NotificationPreferencesService,
    NotificationReceiptsService,
    NotificationDeliveries,
    NotificationLive,
    PushSubscriptionsService,
    // The residents' pluggable sender (log in development, the provider's HTTP gateway in production).
    { provide: SMS_SENDER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createSmsSender(config.sms) },
  ],
})
export class NotificationsModule {}
