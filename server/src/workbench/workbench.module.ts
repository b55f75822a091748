import { Module } from '@nestjs/common';
import { IssuesModule } from '../issues/issues.module';
import { NearbyIssuesService } from './nearby-issues.service';
import { WorkbenchController } from './workbench.controller';

@Module({ imports: [IssuesModule], controllers: [WorkbenchController], providers: [NearbyIssuesService] })
export class WorkbenchModule {}
