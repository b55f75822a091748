import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/auth.decorators';
import { AppException } from '../common/app.exception';
import { IdPipe } from '../common/id.pipe';
import { IssueQueriesService } from '../issues/issue-queries.service';
import { AttachmentStorage } from './attachment-storage.service';

const SIZES = ['full', 'thumb'] as const;

@ApiTags('issues')
@ApiBearerAuth()
@Controller('attachments')
export class AttachmentsController {
  constructor(
    private readonly db: DataSource,
    private readonly storage: AttachmentStorage,
    private readonly issues: IssueQueriesService,
  ) {}

  /**
   * Served only to callers who may see the issue, with the sniffed type and nosniff, streamed from
   * the photo store. `?size=thumb` gives the thumbnail, under the same check.
   */
  @Get(':id')
  @ApiQuery({
    name: 'size',
    required: false,
    enum: SIZES,
    description: '`thumb`: a WebP of at most 320 pixels a side, for lists and the wall',
  })
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query('size') size: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const wanted = size ?? 'full';
    if (!(SIZES as readonly string[]).includes(wanted))
      throw new AppException('VALIDATION_FAILED', 'size must be "full" or "thumb"', { field: 'size', allowed: SIZES });
    const rows: {
      issue_id: number;
      mime_type: string;
      storage_key: string;
      thumb_key: string | null;
      width: number | null;
      sha256: string;
    }[] = await this.db.query('SELECT issue_id, mime_type, storage_key, thumb_key, width, sha256 FROM attachments WHERE id = $1', [id]);
    const row = rows[0];
    if (!row) throw new AppException('ATTACHMENT_NOT_FOUND', `Attachment ${id} not found`);
    await this.issues.visibleIssue(actor, row.issue_id).catch((err: unknown) => {
      // Out of scope reads as "no such attachment"; any other failure stays what it is.
      if (err instanceof AppException && err.code === 'ISSUE_NOT_FOUND')
        throw new AppException('ATTACHMENT_NOT_FOUND', `Attachment ${id} not found`);
      throw err;
    });
    const content = await this.storage.content(row, wanted as (typeof SIZES)[number]);
    if (!content) throw new AppException('ATTACHMENT_NOT_FOUND', `Attachment ${id} has no stored photo`);
    await reply
      .header('Content-Type', content.mimeType)
      .header('Content-Length', content.size)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Disposition', 'inline')
      .header('Cache-Control', 'private, max-age=86400, immutable')
      .header('ETag', `"${row.sha256}${wanted === 'thumb' ? '-thumb' : ''}"`)
      .send(content.stream);
  }
}
