import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { EntityManager } from '@mikro-orm/core';
import { PERMISSIONS } from '../../../../libs/domain/src/permissions';
import type { Principal } from '../auth/principal';
import { PermissionGuard } from './permission.guard';
import type { ActingRequest, Requirement } from './permissions.types';

function contextFor(principal: Principal | undefined, headers: Record<string, string> = {}) {
  const req = {
    principal,
    header: (name: string) => headers[name.toLowerCase()],
  } as unknown as ActingRequest;
  const ctx = {
    getHandler: () => undefined,
    getClass: () => undefined,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  return { req, ctx };
}

function guard(requirement: Requirement | undefined, found: unknown = null) {
  const reflector = { getAllAndOverride: () => requirement } as unknown as Reflector;
  const em = { findOne: jest.fn().mockResolvedValue(found) } as unknown as EntityManager;
  return { guard: new PermissionGuard(reflector, em), em };
}

const need = (permission: (typeof PERMISSIONS)[number]): Requirement => ({ kind: 'permission', permission });

describe('PermissionGuard', () => {
  it('refuses staff sessions on every requirement (403 staff_not_allowed)', async () => {
    for (const r of [need('projects:read'), { kind: 'member' } as const, { kind: 'owner' } as const]) {
      const { ctx } = contextFor({ kind: 'staff', staffId: 's1', role: 'operator', sessionId: 'x' });
      await expect(guard(r).guard.canActivate(ctx)).rejects.toMatchObject({
        kind: 'forbidden',
        code: 'staff_not_allowed',
      });
    }
  });

  it('gives the owner every permission inside its own account, without reading the database', async () => {
    const { ctx, req } = contextFor(
      { kind: 'account', accountId: 42, sessionId: 'x' },
      { 'x-account-id': '42' },
    );
    const { guard: g, em } = guard(need('billing:write'));
    await expect(g.canActivate(ctx)).resolves.toBe(true);
    expect(req.acting).toMatchObject({ accountId: 42, isRoot: true, actor: { kind: 'owner' } });
    expect([...req.acting!.permissions]).toEqual([...PERMISSIONS]);
    expect(em.findOne).not.toHaveBeenCalled();
  });

  it('answers 404 for an account the caller is not a member of, and 400 for a malformed X-Account-Id', async () => {
    const owner: Principal = { kind: 'account', accountId: 42, sessionId: 'x' };
    await expect(
      guard(need('projects:read')).guard.canActivate(contextFor(owner, { 'x-account-id': '7' }).ctx),
    ).rejects.toMatchObject({ kind: 'not_found' });
    await expect(
      guard(need('projects:read')).guard.canActivate(contextFor(owner, { 'x-account-id': 'abc' }).ctx),
    ).rejects.toMatchObject({ kind: 'validation', field: 'X-Account-Id' });
  });

  it('keeps a sub-user inside its root account and checks its granted permissions', async () => {
    const sub: Principal = { kind: 'sub_user', accountId: 42, subUserId: 'su1', sessionId: 'x' };
    const row = { id: 'su1', permissions: ['projects:read'] };
    await expect(
      guard(need('projects:read'), row).guard.canActivate(contextFor(sub, { 'x-account-id': '7' }).ctx),
    ).rejects.toMatchObject({ kind: 'not_found' });
    await expect(guard(need('projects:read'), row).guard.canActivate(contextFor(sub).ctx)).resolves.toBe(
      true,
    );
    await expect(
      guard(need('projects:write'), row).guard.canActivate(contextFor(sub).ctx),
    ).rejects.toMatchObject({
      code: 'permission_missing',
      details: { permission: 'projects:write' },
    });
    await expect(guard({ kind: 'owner' }, row).guard.canActivate(contextFor(sub).ctx)).rejects.toMatchObject({
      code: 'owner_only',
    });
  });

  it('fails loudly on a route that names no requirement', async () => {
    const { ctx } = contextFor({ kind: 'account', accountId: 1, sessionId: 'x' });
    await expect(guard(undefined).guard.canActivate(ctx)).rejects.toThrow(/without a requirement/);
  });
});
