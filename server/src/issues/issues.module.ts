import { Module } from '@nestjs/common';
import { AttachmentStorage } from '../attachments/attachment-storage.service';
import { AttachmentsController } from '../attachments/attachments.controller';
import { IssueAccess } from './issue-access';
import { IssueQueriesService } from './issue-queries.service';
import { IssueReportService } from './issue-report.service';
import { IssueTransitionsService } from './issue-transitions.service';
import { IssuesController } from './issues.controller';

@Module({
  controllers: [IssuesController, AttachmentsController],
  providers: [IssueAccess, IssueReportService, IssueTransitionsService, IssueQueriesService, AttachmentStorage],
  exports: [IssueAccess, IssueQueriesService],
})
export class IssuesModule {}
