import { Body, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { CreateOpen311KeyInput, Open311KeyCreated, Open311KeyView } from '@gridline/shared';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/auth.decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiValidationFailed } from '../common/openapi/api-error.dto';
import { AdminController, ApiId, ApiNotFound } from '../admin/core/admin-controller';
import { Open311KeysService } from './open311-keys.service';

export class CreateOpen311KeyDto implements CreateOpen311KeyInput {
  @ApiProperty({ description: '名称 Who the key is for, 1–100 characters', minLength: 1, maxLength: 100, example: '市民热线 App' })
  @IsString()
  @Length(1, 100)
  name!: string;
}

@AdminController('open311-keys', 'open311 keys')
export class Open311KeysController {
  constructor(private readonly keys: Open311KeysService) {}

  @Get()
  @ApiOperation({
    summary: 'Open311 API keys',
    description: 'Every key with its prefix (never the key), creator, last use and revocation.',
  })
  @ApiOkResponse({ description: '`Open311KeyView[]`' })
  list(): Promise<Open311KeyView[]> {
    return this.keys.list();
  }

  @Post()
  @ApiOperation({
    summary: '新建 Open311 key',
    description: 'The answer carries the whole key, `key`: it is shown this once and stored only as a SHA-256 digest.',
  })
  @ApiCreatedResponse({ description: '`Open311KeyCreated`' })
  @ApiValidationFailed('name: name must be longer than or equal to 1 characters')
  create(@CurrentActor() actor: Actor, @Body() body: CreateOpen311KeyDto): Promise<Open311KeyCreated> {
    return this.keys.create(actor, body.name);
  }

  @Delete(':id')
  @ApiId('Open311 key id')
  @ApiOperation({
    summary: '吊销 Revoke an Open311 key',
    description: 'From now on the key is refused with 403. Revoking a revoked key changes nothing.',
  })
  @ApiOkResponse({ description: 'The revoked key, `Open311KeyView`' })
  @ApiNotFound('Open311 key')
  revoke(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<Open311KeyView> {
    return this.keys.revoke(actor, id);
  }
}
