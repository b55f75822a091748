import { Module } from '@nestjs/common';
import { AttachmentsController } from '../attachments/attachments.controller';
import { AttachmentsModule } from '../attachments/attachments.module';
import { EventsModule } from '../events/events.module';
import { ResidentContactsModule } from '../residents/resident-contacts.module';
import { ScopeModule } from '../scope/scope.module';
import { IssueQueriesService } from './issue-queries.service';
import { IssueReportService } from './issue-report.service';
import { IssueTransitionsService } from './issue-transitions.service';
import { IssuesController } from './issues.controller';

@Module({
  imports: [ScopeModule, AttachmentsModule, EventsModule, ResidentContactsModule],
  controllers: [IssuesController, AttachmentsController],
  providers: [IssueReportService, IssueTransitionsService, IssueQueriesService],
  exports: [IssueQueriesService, IssueReportService, IssueTransitionsService],
})
export class IssuesModule {}
