import { Module } from '@nestjs/common';
import { ResidentsService } from './residents.service';

/** Residents' personal data (phone, name) and its one store; the issue reads and the hotline use it. */
@Module({
  providers: [ResidentsService],
  exports: [ResidentsService],
})
export class ResidentContactsModule {}
