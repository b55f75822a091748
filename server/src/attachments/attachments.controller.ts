import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/auth.decorators';
import { AppException } from '../common/app.exception';
import { IdPipe } from '../common/id.pipe';
import { IssueQueriesService } from '../issues/issue-queries.service';
import { AttachmentStorage } from './attachment-storage.service';

@ApiTags('issues')
@ApiBearerAuth()
@Controller('attachments')
export class AttachmentsController {
  constructor(
    private readonly db: DataSource,
    private readonly storage: AttachmentStorage,
    private readonly issues: IssueQueriesService,
  ) {}

  /** Served only to callers who may see the issue, with the sniffed type and nosniff. */
  @Get(':id')
  async download(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Res() reply: FastifyReply): Promise<void> {
    const rows: { issue_id: number; mime_type: string; storage_key: string; sha256: string }[] = await this.db.query(
      'SELECT issue_id, mime_type, storage_key, sha256 FROM attachments WHERE id = $1',
      [id],
    );
    const row = rows[0];
    if (!row) throw new AppException('ATTACHMENT_NOT_FOUND', `Attachment ${id} not found`);
    await this.issues.visibleIssue(actor, row.issue_id).catch((err: unknown) => {
      // Out of scope reads as "no such attachment"; any other failure stays what it is.
      if (err instanceof AppException && err.code === 'ISSUE_NOT_FOUND')
        throw new AppException('ATTACHMENT_NOT_FOUND', `Attachment ${id} not found`);
      throw err;
    });
    const bytes = await this.storage.read(row.storage_key);
    await reply
      .header('Content-Type', row.mime_type)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Disposition', 'inline')
      .header('Cache-Control', 'private, max-age=86400, immutable')
      .header('ETag', `"${row.sha256}"`)
      .send(bytes);
  }
}
