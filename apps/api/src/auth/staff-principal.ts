import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ForbiddenError, UnauthenticatedError } from '../../../../libs/domain/src/errors';
import type { AuthenticatedRequest, StaffPrincipal, StaffRole } from './principal';

/** Route metadata: the roles a staff route admits (empty: any staff role). */
export const STAFF_ROUTE = 'auth:staff';

/** OpenAPI security scheme name of staff tokens (`stf_…`). */
export const STAFF_BEARER = 'staff';

/**
 * Marks a controller or route as staff-only. The global AuthGuard then refuses owner and
 * sub-user sessions (403 staff_only) and, with roles given, staff of other roles; routes without
 * it refuse staff tokens (403 staff_not_allowed). Documented under the `staff` bearer scheme.
 */
export const StaffOnly = (...roles: StaffRole[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(STAFF_ROUTE, roles), ApiBearerAuth(STAFF_BEARER));

/** The signed-in staff member; owner and sub-user tokens get 403, as do staff outside `roles`. */
export const CurrentStaff = createParamDecorator(
  (roles: StaffRole[] | undefined, ctx: ExecutionContext): StaffPrincipal => {
    const p = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!p) throw new UnauthenticatedError();
    if (p.kind !== 'staff') throw new ForbiddenError('This needs a staff session', 'staff_only');
    if (roles?.length && !roles.includes(p.role)) {
      throw new ForbiddenError(`This needs one of the roles: ${roles.join(', ')}`, 'staff_role_required');
    }
    return p;
  },
);
