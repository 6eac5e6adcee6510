import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { ConflictError, NotFoundError, RuleViolationError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { isUniqueViolation } from '../../../../libs/persistence/src/database';
import {
  Account,
  CloudResource,
  LedgerEntry,
  Order,
  Project,
} from '../../../../libs/persistence/src/entities';
import type { Acting } from '../permissions/permissions.types';
import type { ProjectBillingResponse } from './projects.dto';

/** Projects (PRJ-1 … PRJ-5). There is no delete (PRJ-2). */
@Injectable()
export class ProjectsService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** PRJ-1 */
  async create(acting: Acting, name: string, description: string): Promise<Project> {
    const now = this.clock.now();
    const project = this.em.create(Project, {
      id: newId(),
      account: this.em.getReference(Account, acting.accountId),
      name,
      nameKey: name.toLowerCase(),
      description,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.em.flush();
    } catch (err) {
      this.em.clear();
      if (isUniqueViolation(err)) {
        throw new ConflictError('project_name_taken', 'A project with this name already exists', {
          field: 'name',
        });
      }
      throw err;
    }
    return project;
  }

  /** PRJ-3: disabled projects are hidden unless asked for. */
  list(acting: Acting, includeDisabled: boolean): Promise<Project[]> {
    return this.em.find(
      Project,
      { account: acting.accountId, ...(includeDisabled ? {} : { status: 'active' as const }) },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  async get(acting: Acting, id: string): Promise<Project> {
    const p = await this.em.findOne(Project, { id, account: acting.accountId });
    if (!p) throw new NotFoundError('Project');
    return p;
  }

  /**
   * PRJ-2/PRJ-4: disabling refuses while the project holds resources in use, naming them. The
   * project row is locked first (`select … for update`), and resource moves lock the same row,
   * so a resource cannot slip in between the check and the change.
   */
  async disable(acting: Acting, id: string): Promise<Project> {
    await this.get(acting, id);
    await this.em.transactional(async (tem) => {
      const now = this.clock.now();
      const project = await tem.findOne(
        Project,
        { id, account: acting.accountId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (project?.status !== 'active') return; // already disabled: nothing to do
      const held = await tem.find(
        CloudResource,
        { project: id, status: { $ne: 'released' } },
        { orderBy: { name: 'asc', id: 'asc' } },
      );
      if (held.length > 0) {
        // rule PRJ-4
        throw new RuleViolationError(
          'PRJ-4',
          'project_holds_resources',
          `The project still holds ${held.length} resource(s): ${held.map((r) => r.name).join(', ')}. Move them to other projects first.`,
          { resources: held.map((r) => ({ id: r.id, type: r.type, name: r.name, status: r.status })) },
        );
      }
      await tem.nativeUpdate(Project, { id }, { status: 'disabled', disabledAt: now, updatedAt: now });
    });
    this.em.clear();
    return this.get(acting, id);
  }

  /** PRJ-3: a disabled project can be enabled again. */
  async enable(acting: Acting, id: string): Promise<Project> {
    await this.get(acting, id);
    const now = this.clock.now();
    await this.em.nativeUpdate(
      Project,
      { id, account: acting.accountId, status: 'disabled' },
      { status: 'active', disabledAt: null, updatedAt: now },
    );
    this.em.clear();
    return this.get(acting, id);
  }

  /** PRJ-5: a project's charges, refunds and orders, whether or not it is disabled. */
  async billingRecords(acting: Acting, id: string): Promise<ProjectBillingResponse> {
    const project = await this.get(acting, id);
    const [entries, orders] = await Promise.all([
      this.em.find(
        LedgerEntry,
        { project: id, account: acting.accountId },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      ),
      this.em.find(
        Order,
        { project: id, account: acting.accountId },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      ),
    ]);
    const records: ProjectBillingResponse['records'] = [
      ...entries.map((e) => ({
        type: 'ledger_entry' as const,
        id: e.id,
        kind: e.kind,
        amountFen: e.amountFen,
        description: e.description,
        createdAt: e.createdAt.toISOString(),
      })),
      ...orders.map((o) => ({
        type: 'order' as const,
        id: o.id,
        kind: o.status,
        amountFen: o.amountFen,
        description: o.description,
        createdAt: o.createdAt.toISOString(),
      })),
    ].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    return { projectId: project.id, projectStatus: project.status, records };
  }
}
