import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  NotificationPage,
  NotificationPreferences,
  NotificationReceipt,
  PushSubscriptionView,
  UnreadCount,
  VapidPublicKey,
} from '@gridline/shared';
import { Inject } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiAuthRequired, ApiErrorResponse, ApiValidationFailed } from '../common/openapi/api-error.dto';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ListNotificationsQuery, ReceiptsQuery, SubscribePushDto, UnsubscribePushDto, UpdatePreferencesDto } from './dto/notification.dto';
import { NotificationPreferencesService } from './notification-preferences.service';
import { NotificationReceiptsService } from './notification-receipts.service';
import { NotificationsService } from './notifications.service';
import { PushSubscriptionsService } from './push/push-subscriptions.service';

/** The caller's own inbox, preferences and push subscriptions; the dispatcher's receipts. */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiAuthRequired()
@Controller()
export class NotificationsController {
  constructor(
    private readonly inbox: NotificationsService,
    private readonly preferences: NotificationPreferencesService,
    private readonly receipts: NotificationReceiptsService,
    private readonly push: PushSubscriptionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('notifications')
  @ApiOperation({
    summary: '通知 My notifications',
    description: 'Newest first, paged; `unread=true` for the unread ones. Listing marks them delivered.',
  })
  @ApiOkResponse({ description: '`NotificationPage`' })
  @ApiValidationFailed('pageSize: pageSize must not be greater than 100')
  list(@CurrentActor() actor: Actor, @Query() query: ListNotificationsQuery): Promise<NotificationPage> {
    return this.inbox.list(actor, query);
  }

  @Get('notifications/unread-count')
  @ApiOperation({ summary: '未读数 My unread count' })
  @ApiOkResponse({ description: '`{ unread }`' })
  async unread(@CurrentActor() actor: Actor): Promise<UnreadCount> {
    return { unread: await this.inbox.unread(actor.id) };
  }

  @Post('notifications/read-all')
  @HttpCode(200)
  @ApiOperation({ summary: '全部已读 Mark all mine read' })
  @ApiOkResponse({ description: '`{ unread: 0 }`' })
  readAll(@CurrentActor() actor: Actor): Promise<UnreadCount> {
    return this.inbox.markAllRead(actor);
  }

  @Get('notifications/preferences')
  @ApiOperation({ summary: '通知设置 My channels per kind', description: 'The inbox is always on; push and SMS per kind; the SMS number.' })
  @ApiOkResponse({ description: '`NotificationPreferences`' })
  getPreferences(@CurrentActor() actor: Actor): Promise<NotificationPreferences> {
    return this.preferences.get(actor);
  }

  @Put('notifications/preferences')
  @ApiOperation({ summary: '修改通知设置 Change my channels', description: 'Only the kinds and fields given change.' })
  @ApiOkResponse({ description: '`NotificationPreferences`' })
  @ApiValidationFailed('channels.unknown_kind: property unknown_kind should not exist')
  @ApiErrorResponse(422, 'SMS asked for a kind that may not use it', {
    SMS_CHANNEL_UNAVAILABLE: 'SMS is only for 红牌, 督办 and urgent dispatches',
  })
  putPreferences(@CurrentActor() actor: Actor, @Body() body: UpdatePreferencesDto): Promise<NotificationPreferences> {
    return this.preferences.update(actor, body);
  }

  @Get('notifications/receipts')
  @Roles('dispatcher', 'admin')
  @ApiOperation({
    summary: '送达回执 Delivered/read receipts of an issue',
    description: 'Who was told, delivered when, read when, and each push/SMS.',
  })
  @ApiOkResponse({ description: '`NotificationReceipt[]`' })
  @ApiErrorResponse(404, 'The issue is not in your scope', { ISSUE_NOT_FOUND: 'Issue 42 not found' })
  receiptsOf(@CurrentActor() actor: Actor, @Query() query: ReceiptsQuery): Promise<NotificationReceipt[]> {
    return this.receipts.forIssue(actor, query.issueId);
  }

  @Post('notifications/:id/read')
  @HttpCode(200)
  @ApiOperation({ summary: '已读 Mark one of mine read' })
  @ApiOkResponse({ description: '`{ unread }`' })
  @ApiErrorResponse(404, 'Not yours or unknown', { NOTIFICATION_NOT_FOUND: 'Notification 7 not found' })
  read(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<UnreadCount> {
    return this.inbox.markRead(actor, id);
  }

  @Get('push/vapid-public-key')
  @ApiOperation({ summary: 'Web Push application server key', description: 'For `pushManager.subscribe({ applicationServerKey })`.' })
  @ApiOkResponse({ description: '`{ publicKey }` (base64url)' })
  vapidKey(): VapidPublicKey {
    return { publicKey: this.config.vapid.publicKey };
  }

  @Get('push/subscriptions')
  @ApiOperation({ summary: '我的推送设备 My push subscriptions' })
  @ApiOkResponse({ description: '`PushSubscriptionView[]`' })
  subscriptions(@CurrentActor() actor: Actor): Promise<PushSubscriptionView[]> {
    return this.push.list(actor);
  }

  @Post('push/subscriptions')
  @HttpCode(201)
  @ApiOperation({ summary: '订阅推送 Subscribe this device', description: 'The body is the browser’s `PushSubscription.toJSON()`.' })
  @ApiOkResponse({ description: '`PushSubscriptionView`' })
  @ApiValidationFailed('keys.auth: keys.auth must be a base64url auth secret')
  @ApiErrorResponse(400, 'The endpoint is refused', { PUSH_SUBSCRIPTION_INVALID: 'endpoint must be an https:// URL' })
  subscribe(
    @CurrentActor() actor: Actor,
    @Body() body: SubscribePushDto,
    @Headers('user-agent') userAgent: string | undefined,
  ): Promise<PushSubscriptionView> {
    return this.push.subscribe(actor, body, userAgent);
  }

  @Delete('push/subscriptions')
  @HttpCode(204)
  @ApiOperation({ summary: '取消推送 Unsubscribe a device of mine' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrorResponse(404, 'Not one of yours', { PUSH_SUBSCRIPTION_NOT_FOUND: 'No such push subscription of yours' })
  async unsubscribe(@CurrentActor() actor: Actor, @Body() body: UnsubscribePushDto): Promise<void> {
    await this.push.unsubscribe(actor, body.endpoint);
  }
}
