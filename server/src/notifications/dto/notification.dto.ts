import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  NOTIFICATION_PAGE_MAX,
  type KindChannels,
  type NotificationKind,
  type PushSubscriptionInput,
  type UpdateNotificationPreferences,
} from '@gridline/shared';
import { IsId } from '../../common/id';

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

export class ListNotificationsQuery {
  @ApiPropertyOptional({ description: 'Page, from 1', type: 'integer', minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page?: number;

  @ApiPropertyOptional({ description: 'Page size', type: 'integer', minimum: 1, maximum: NOTIFICATION_PAGE_MAX, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(NOTIFICATION_PAGE_MAX)
  pageSize?: number;

  @ApiPropertyOptional({ description: '未读 Only unread ones (`true`), or only read ones (`false`)', type: Boolean })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  unread?: boolean;
}

export class ReceiptsQuery {
  @ApiProperty({ description: '事件 The issue whose notifications to show', type: 'integer' })
  @IsId()
  @Type(() => Number)
  issueId!: number;
}

export class KindChannelsDto implements Partial<KindChannels> {
  @ApiPropertyOptional({ description: 'Web Push to this user’s subscribed devices' })
  @IsOptional()
  @IsBoolean()
  push?: boolean;

  @ApiPropertyOptional({ description: 'SMS (only 红牌 sla_breached, 督办 supervision and urgent dispatched)' })
  @IsOptional()
  @IsBoolean()
  sms?: boolean;
}

const channel = () => [
  ApiPropertyOptional({ type: KindChannelsDto }),
  IsOptional(),
  IsObject(),
  ValidateNested(),
  Type(() => KindChannelsDto),
];
const apply =
  (decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const d of decorators) d(target, key);
  };

/** One optional entry per kind: an unknown kind is refused by the whitelist. */
export class ChannelsDto implements Partial<Record<NotificationKind, KindChannelsDto>> {
  @apply(channel()) verify_task?: KindChannelsDto;
  @apply(channel()) reopened?: KindChannelsDto;
  @apply(channel()) dispatched?: KindChannelsDto;
  @apply(channel()) sla_warning?: KindChannelsDto;
  @apply(channel()) sla_breached?: KindChannelsDto;
  @apply(channel()) supervision?: KindChannelsDto;
  @apply(channel()) returned?: KindChannelsDto;
  @apply(channel()) extension_requested?: KindChannelsDto;
}

export class UpdatePreferencesDto implements UpdateNotificationPreferences {
  @ApiPropertyOptional({ type: ChannelsDto, description: 'Per kind, push and/or sms on or off (the inbox is always on)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ChannelsDto)
  channels?: ChannelsDto;

  @ApiPropertyOptional({ description: '短信号码 Mainland mobile number for SMS, or null for none', example: '13900000000', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Matches(/^1[3-9][0-9]{9}$/, { message: 'smsPhone must be a mainland mobile number (11 digits, 1[3-9]…)' })
  smsPhone?: string | null;
}

export class PushKeysDto {
  @ApiProperty({ description: 'The browser’s P-256 public key, base64url (65 bytes uncompressed)' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{80,100}={0,2}$/, { message: 'keys.p256dh must be a base64url P-256 public key' })
  p256dh!: string;

  @ApiProperty({ description: 'The 16-byte auth secret, base64url' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{16,32}={0,2}$/, { message: 'keys.auth must be a base64url auth secret' })
  auth!: string;
}

export class SubscribePushDto implements PushSubscriptionInput {
  @ApiProperty({ description: 'The push service URL the browser gave (https)' })
  @IsString()
  @Length(10, 2000)
  endpoint!: string;

  @ApiProperty({ type: PushKeysDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PushKeysDto)
  keys!: PushKeysDto;

  @ApiPropertyOptional({ description: 'Ignored (the browser’s PushSubscription.toJSON() sends it)', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(8.64e15) // the latest instant a JavaScript Date holds, in ms
  expirationTime?: number | null;
}

export class UnsubscribePushDto {
  @ApiProperty({ description: 'The endpoint of the subscription to remove' })
  @IsString()
  @Length(10, 2000)
  endpoint!: string;
}
