import { Module } from '@nestjs/common';
import { PermissionGuard } from './permission.guard';
import { PermissionsController } from './permissions.controller';

/** The permission guard (used through @RequirePermission) and the acting-account endpoint. */
@Module({ controllers: [PermissionsController], providers: [PermissionGuard], exports: [PermissionGuard] })
export class PermissionsModule {}
