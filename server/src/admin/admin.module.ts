import { EventsModule } from '../events/events.module';
import { Global, Module } from '@nestjs/common';
import { AdminAuditController } from './audit/admin-audit.controller';
import { AuditTrails } from './audit/audit-trails.service';
import { LoginAuditController } from './audit/login-audit.controller';
import { AdminCategoriesController } from './categories/admin-categories.controller';
import { AdminCategoriesService } from './categories/admin-categories.service';
import { AdminChanges } from './core/admin-changes.service';
import { ConfigInvalidation } from './core/config-invalidation.service';
import { AdminDepartmentsController, AdminDutiesController } from './departments/admin-departments.controller';
import { AdminDepartmentsService } from './departments/admin-departments.service';
import { AdminRegionsController } from './regions/admin-regions.controller';
import { AdminRegionsService } from './regions/admin-regions.service';
import { GridImportService } from './regions/grid-import.service';
import { AdminUsersController } from './users/admin-users.controller';
import { AdminUsersService } from './users/admin-users.service';

/**
 * Configuration by administrators: regions (and GeoJSON grid import), departments and duties,
 * categories, users, and the audit trail every change writes to. Every write goes through
 * AdminChanges (transaction + audit + cache invalidation across instances).
 */
@Global() // SlaAdminService writes through AdminChanges too
@Module({
  imports: [EventsModule],
  controllers: [
    AdminRegionsController,
    AdminDepartmentsController,
    AdminDutiesController,
    AdminCategoriesController,
    AdminUsersController,
    AdminAuditController,
    LoginAuditController,
  ],
  providers: [
    ConfigInvalidation,
    AdminChanges,
    AdminRegionsService,
    GridImportService,
    AdminDepartmentsService,
    AdminCategoriesService,
    AdminUsersService,
    AuditTrails,
  ],
  exports: [AdminChanges, ConfigInvalidation],
})
export class AdminModule {}
