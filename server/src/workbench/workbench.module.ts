import { Module } from '@nestjs/common';
import { IssuesModule } from '../issues/issues.module';
import { ScopeModule } from '../scope/scope.module';
import { NearbyIssuesService } from './nearby-issues.service';
import { WorkbenchController } from './workbench.controller';

@Module({
  imports: [IssuesModule, ScopeModule],
  controllers: [WorkbenchController],
  providers: [NearbyIssuesService],
  exports: [NearbyIssuesService],
})
export class WorkbenchModule {}
