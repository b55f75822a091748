import { Module } from '@nestjs/common';
import { ScopeService } from './scope.service';

/** Who sees what (actor-scope.ts). Imported by each feature that reads or writes in a scope. */
@Module({ providers: [ScopeService], exports: [ScopeService] })
export class ScopeModule {}
