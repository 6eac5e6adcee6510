import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode, type FilterQuery } from '@mikro-orm/core';
import { NotFoundError, RuleViolationError } from '../../../../libs/domain/src/errors';
import { AccountDomain, CloudResource, Complaint, Project } from '../../../../libs/persistence/src/entities';
import type { Acting } from '../permissions/permissions.types';

/** Resources, complaints and domains held by an account: facts account cancellation (CAN-1) checks. */
@Injectable()
export class AssetsService {
  constructor(private readonly em: EntityManager) {}

  /** Resources in use (released ones only on request). */
  resources(acting: Acting, projectId?: string, includeReleased = false): Promise<CloudResource[]> {
    const where: FilterQuery<CloudResource> = { account: acting.accountId };
    if (projectId) Object.assign(where, { project: projectId });
    if (!includeReleased) Object.assign(where, { status: { $ne: 'released' } });
    return this.em.find(CloudResource, where, {
      populate: ['project'],
      orderBy: { createdAt: 'asc', id: 'asc' },
    });
  }

  async resource(acting: Acting, id: string): Promise<CloudResource> {
    const r = await this.em.findOne(
      CloudResource,
      { id, account: acting.accountId },
      { populate: ['project'] },
    );
    if (!r) throw new NotFoundError('Resource');
    return r;
  }

  /**
   * PRJ-4: a resource moves only between active projects (or to/from no project). Both project
   * rows are locked (`select … for update`, in ID order) in the transaction that moves it, the
   * same lock that disabling a project takes.
   */
  async move(acting: Acting, id: string, targetProjectId: string | null): Promise<CloudResource> {
    const resource = await this.resource(acting, id);
    const sourceProjectId = resource.project?.id ?? null;
    if (targetProjectId) {
      const target = await this.em.findOne(Project, { id: targetProjectId, account: acting.accountId });
      if (!target) throw new NotFoundError('Project', 'not_found', { field: 'projectId' });
    }
    if (sourceProjectId === targetProjectId) return resource;
    await this.em.transactional(async (tem) => {
      const ids = [sourceProjectId, targetProjectId].filter((x): x is string => x !== null).sort();
      const locked = await tem.find(
        Project,
        { id: { $in: ids }, account: acting.accountId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
      );
      for (const pid of ids) {
        if (locked.find((p) => p.id === pid)?.status !== 'active') {
          // rule PRJ-4
          throw new RuleViolationError(
            'PRJ-4',
            'project_disabled',
            pid === sourceProjectId
              ? 'The resource is in a disabled project: enable the project before moving its resources out'
              : 'Resources cannot be moved into a disabled project',
            { projectId: pid },
          );
        }
      }
      await tem.nativeUpdate(CloudResource, { id, account: acting.accountId }, { project: targetProjectId });
    });
    this.em.clear();
    return this.resource(acting, id);
  }

  /** ACC-16: refused, always, and nothing changes. */
  async refuseAccountTransfer(acting: Acting, id: string): Promise<never> {
    const r = await this.resource(acting, id);
    // rule ACC-16
    throw new RuleViolationError(
      'ACC-16',
      'resource_account_transfer_unsupported',
      `Moving a single ${r.type === 'cloud_server' ? 'cloud server' : 'resource'} to another account is not supported: ` +
        'its disks, network, snapshots and billing belong to this account. To hand it over, create a custom image ' +
        'of it, share the image with the other account and create a new server there from that image.',
      { resourceId: r.id, resourceType: r.type },
    );
  }

  complaints(acting: Acting, status?: 'open' | 'closed', role?: 'by' | 'against'): Promise<Complaint[]> {
    const sides: FilterQuery<Complaint>[] = [];
    if (role !== 'against') sides.push({ complainant: acting.accountId });
    if (role !== 'by') sides.push({ respondent: acting.accountId });
    return this.em.find(
      Complaint,
      { $or: sides, ...(status ? { status } : {}) },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  domains(acting: Acting): Promise<AccountDomain[]> {
    return this.em.find(AccountDomain, { account: acting.accountId }, { orderBy: { name: 'asc' } });
  }
}
