import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { WebhookDeliveriesPage, WebhookDeliveryView, WebhookView, WebhookWithSecretView } from '@gridline/shared';
import { AdminController, ApiId, ApiNotFound } from '../../admin/core/admin-controller';
import type { Actor } from '../../auth/actor';
import { CurrentActor } from '../../auth/auth.decorators';
import { IdPipe } from '../../common/id.pipe';
import { ApiErrorResponse, ApiValidationFailed } from '../../common/openapi/api-error.dto';
import { CreateWebhookDto, ListDeliveriesQuery, UpdateWebhookDto } from './webhook.dto';
import { WebhookDeliveryLog } from './webhook-delivery-log.service';
import { WebhookSubscriptions } from './webhook-subscriptions.service';

const REFUSALS = () =>
  ApiErrorResponse(400, 'A field is refused', {
    WEBHOOK_URL_INVALID: 'url must be http or https, not ftp',
    WEBHOOK_TARGET_FORBIDDEN: 'url is refused: 10.0.0.5 resolves to 10.0.0.5, an internal address',
    WEBHOOK_EVENTS_INVALID: 'Unknown event types: issue.exploded',
    WEBHOOK_REGION_INVALID: 'Region 9999 does not exist or is closed',
    WEBHOOK_SECRET_NOT_ACCEPTED: 'The server makes the signing secret; rotate it with POST …/rotate-secret',
  });
const INACTIVE = () =>
  ApiErrorResponse(409, 'The subscription is disabled', { WEBHOOK_INACTIVE: 'Webhook 7 is disabled: enable it first' });
const DELIVERY_ID = () =>
  ApiParam({ name: 'deliveryId', description: '投递 Delivery id', schema: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } });

@AdminController('webhooks', 'webhooks')
export class WebhooksController {
  constructor(
    private readonly subscriptions: WebhookSubscriptions,
    private readonly log: WebhookDeliveryLog,
  ) {}

  @Get()
  @ApiOperation({ summary: '接口推送 Webhook subscriptions', description: 'Never with their secrets.' })
  @ApiOkResponse({ description: '`WebhookView[]`' })
  list(): Promise<WebhookView[]> {
    return this.subscriptions.list();
  }

  @Post()
  @ApiOperation({
    summary: '新建推送 Create a subscription',
    description: 'The answer carries the signing `secret` (`whsec_…`) this once; it is never shown again.',
  })
  @ApiCreatedResponse({ description: '`WebhookWithSecretView`' })
  @ApiValidationFailed('events: events must contain at least 1 elements')
  @REFUSALS()
  create(@CurrentActor() actor: Actor, @Body() body: CreateWebhookDto): Promise<WebhookWithSecretView> {
    return this.subscriptions.create(actor, body);
  }

  @Patch(':id')
  @ApiId('推送 Webhook id')
  @ApiOperation({ summary: '修改推送 Change, enable or disable a subscription' })
  @ApiOkResponse({ description: '`WebhookView`' })
  @ApiValidationFailed('active: active must be a boolean value')
  @REFUSALS()
  @ApiNotFound('Webhook')
  update(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() body: UpdateWebhookDto): Promise<WebhookView> {
    return this.subscriptions.update(actor, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiId('推送 Webhook id')
  @ApiOperation({ summary: '删除推送 Delete a subscription and its delivery log' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFound('Webhook')
  async remove(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<void> {
    await this.subscriptions.remove(actor, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiId('推送 Webhook id')
  @ApiOperation({
    summary: '更换密钥 Rotate the signing secret',
    description: 'The new secret is shown this once; for 24 h the old one signs too (two signatures in `webhook-signature`).',
  })
  @ApiOkResponse({ description: '`WebhookWithSecretView`' })
  @ApiNotFound('Webhook')
  rotate(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<WebhookWithSecretView> {
    return this.subscriptions.rotateSecret(actor, id);
  }

  @Get(':id/deliveries')
  @ApiId('推送 Webhook id')
  @ApiOperation({ summary: '投递记录 Deliveries, newest first, with their attempts and response codes' })
  @ApiOkResponse({ description: '`WebhookDeliveriesPage`' })
  @ApiValidationFailed('limit: limit must not be greater than 100')
  @ApiNotFound('Webhook')
  deliveries(@Param('id', IdPipe) id: number, @Query() query: ListDeliveriesQuery): Promise<WebhookDeliveriesPage> {
    return this.log.list(id, query);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiId('推送 Webhook id')
  @DELIVERY_ID()
  @ApiOperation({ summary: '重新投递 Send a delivery again', description: 'From the first step of the retry schedule, same `webhook-id`.' })
  @ApiAcceptedResponse({ description: '`WebhookDeliveryView`' })
  @ApiNotFound('Delivery')
  @INACTIVE()
  redeliver(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('deliveryId', IdPipe) deliveryId: number,
  ): Promise<WebhookDeliveryView> {
    return this.log.redeliver(actor, id, deliveryId);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiId('推送 Webhook id')
  @ApiOperation({ summary: '测试推送 Send a webhook.ping', description: 'To this subscription only, signed like every delivery.' })
  @ApiAcceptedResponse({ description: '`WebhookDeliveryView`' })
  @ApiNotFound('Webhook')
  @INACTIVE()
  test(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<WebhookDeliveryView> {
    return this.log.ping(actor, id);
  }
}
