import { Module } from '@nestjs/common';
import { PartitionMaintenance } from './partition-maintenance.service';

/** Partitions of the append-only tables (issue_events by month). */
@Module({ providers: [PartitionMaintenance], exports: [PartitionMaintenance] })
export class PartitionsModule {}
