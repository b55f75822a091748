import { Module } from '@nestjs/common';
import { ScopeModule } from '../scope/scope.module';
import { AdminServiceCentersService } from './admin-service-centers.service';
import { AdminServiceCentersController, ServiceCentersController } from './service-centers.controller';
import { ServiceCentersService } from './service-centers.service';

/** 党群服务中心 / 站: the list, coverage of grids by their 15-minute circles (ADR 0034), and admin CRUD + GeoJSON import. */
@Module({
  imports: [ScopeModule],
  controllers: [ServiceCentersController, AdminServiceCentersController],
  providers: [ServiceCentersService, AdminServiceCentersService],
})
export class ServiceCentersModule {}
