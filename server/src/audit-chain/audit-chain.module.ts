import { Module } from '@nestjs/common';
import { AuditChainSealer } from './audit-chain-sealer.service';

/** The issue trail's hash chain, sealed in the background (the admin audit chains itself on insert). */
@Module({ providers: [AuditChainSealer], exports: [AuditChainSealer] })
export class AuditChainModule {}
