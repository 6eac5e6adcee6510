import {
  applyDecorators,
  createParamDecorator,
  SetMetadata,
  UseGuards,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse } from '@nestjs/swagger';
import { accountIdTextSchema, zodToOpenApi } from '../common/zod';
import type { Permission } from '../../../../libs/domain/src/permissions';
import { PermissionGuard } from './permission.guard';
import {
  PERMISSION_REQUIREMENT,
  type Acting,
  type ActingRequest,
  type Requirement,
} from './permissions.types';

const ERROR_RESPONSES = [
  ApiBearerAuth(),
  ApiResponse({ status: 401, description: 'No valid session' }),
  ApiResponse({
    status: 403,
    description:
      'permission_missing (names the permission), owner_only, or staff_not_allowed (staff sessions never act inside an account)',
  }),
  ApiResponse({
    status: 404,
    description: 'Not found in the acting account (another account, or an account you are not a member of)',
  }),
];

const ACCOUNT_HEADER = ApiHeader({
  name: 'X-Account-Id',
  required: false,
  schema: zodToOpenApi(accountIdTextSchema),
  description:
    'A collaborator acting inside another root account sends its account ID; owners and sub-users may omit it',
});

/** Guards the endpoint: acting inside a root account with `permission` (the root account has all). */
export const RequirePermission = (permission: Permission): MethodDecorator =>
  applyDecorators(
    SetMetadata(PERMISSION_REQUIREMENT, { kind: 'permission', permission } satisfies Requirement),
    UseGuards(PermissionGuard),
    ACCOUNT_HEADER,
    ...ERROR_RESPONSES,
  );

/** Guards the endpoint: any member acting inside a root account. */
export const RequireMembership = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(PERMISSION_REQUIREMENT, { kind: 'member' } satisfies Requirement),
    UseGuards(PermissionGuard),
    ACCOUNT_HEADER,
    ...ERROR_RESPONSES,
  );

/** Guards the endpoint: only the owner, for its own account (no sub-users, no acting for others). */
export const RequireOwner = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(PERMISSION_REQUIREMENT, { kind: 'owner' } satisfies Requirement),
    UseGuards(PermissionGuard),
    ...ERROR_RESPONSES,
  );

/** The acting account resolved by the permission guard. */
export const ActingAccount = createParamDecorator((_: unknown, ctx: ExecutionContext): Acting => {
  const req = ctx.switchToHttp().getRequest<ActingRequest>();
  if (!req.acting) throw new Error('ActingAccount used on a route without @RequirePermission/@RequireOwner');
  return req.acting;
});
