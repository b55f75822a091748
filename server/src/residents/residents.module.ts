import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { IssuesModule } from '../issues/issues.module';
import { ScopeModule } from '../scope/scope.module';
import { WorkbenchModule } from '../workbench/workbench.module';
import { ResidentAuthController } from './auth/resident-auth.controller';
import { ResidentAuthService } from './auth/resident-auth.service';
import { ResidentRateLimits } from './auth/rate-limits';
import { InfoRequestLapses } from './info-request-lapses.service';
import { ReopenRequestsController } from './reopen-requests.controller';
import { ReopenRequestsService } from './reopen-requests.service';
import { ResidentContactsModule } from './resident-contacts.module';
import { ResidentIssuesService } from './resident-issues.service';
import { ResidentController } from './resident.controller';
import { createSmsSender, SMS_SENDER } from './sms/sms-sender';

/** The resident API: phone sign-in, their reports in plain language, me too, and the dispatcher's reopen requests. */
@Module({
  imports: [ResidentContactsModule, IssuesModule, ScopeModule, WorkbenchModule],
  controllers: [ResidentAuthController, ResidentController, ReopenRequestsController],
  providers: [
    ResidentAuthService,
    ResidentRateLimits,
    ResidentIssuesService,
    ReopenRequestsService,
    InfoRequestLapses,
    { provide: SMS_SENDER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createSmsSender(config.sms) },
  ],
})
export class ResidentsModule {}
