import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { ConflictError, NotFoundError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { assertNoOpenCancellation } from '../../../../libs/persistence/src/cancellation/freeze';
import { isUniqueViolation } from '../../../../libs/persistence/src/database';
import {
  Account,
  AccountDomain,
  CloudResource,
  Complaint,
  IcpFiling,
  Order,
  OwedAmount,
  Project,
  Voucher,
  type OrderStatus,
  type ResourceStatus,
} from '../../../../libs/persistence/src/entities';

/** Sets up any state for an account, for tests and local demos (SANDBOX_ADMIN_API only). */
@Injectable()
export class AdminSandboxService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  async account(accountId: number): Promise<Account> {
    const a = await this.em.findOne(Account, { id: accountId });
    if (!a) throw new NotFoundError('Account');
    return a;
  }

  async project(accountId: number, projectId: string | null | undefined): Promise<Project | null> {
    if (!projectId) return null;
    const p = await this.em.findOne(Project, { id: projectId, account: accountId });
    if (!p) throw new NotFoundError('Project', 'not_found', { field: 'projectId' });
    return p;
  }

  async voucher(accountId: number, input: { amountFen: number; description: string; expiresAt: string }) {
    const account = await this.account(accountId);
    return this.em.transactional(async (tem) => {
      // rule CAN-1: no new voucher while a cancellation application is open.
      await assertNoOpenCancellation(tem, accountId);
      const v = tem.create(Voucher, {
        id: newId(),
        account,
        amountFen: input.amountFen,
        description: input.description,
        expiresAt: new Date(input.expiresAt),
        createdAt: this.clock.now(),
      });
      await tem.flush();
      return v;
    });
  }

  async useVoucher(id: string) {
    const v = await this.em.findOne(Voucher, { id });
    if (!v) throw new NotFoundError('Voucher');
    v.usedAt ??= this.clock.now();
    await this.em.flush();
    return v;
  }

  async order(
    accountId: number,
    input: { amountFen: number; description: string; projectId?: string | null; status: OrderStatus },
  ) {
    const account = await this.account(accountId);
    const project = await this.project(accountId, input.projectId);
    return this.em.transactional(async (tem) => {
      // rule CAN-1: no new order while a cancellation application is open.
      await assertNoOpenCancellation(tem, accountId);
      const now = this.clock.now();
      const o = tem.create(Order, {
        id: newId(),
        account,
        project,
        amountFen: input.amountFen,
        description: input.description,
        status: input.status,
        createdAt: now,
        updatedAt: now,
      });
      await tem.flush();
      return o;
    });
  }

  async setOrderStatus(id: string, status: OrderStatus) {
    const o = await this.em.findOne(Order, { id });
    if (!o) throw new NotFoundError('Order');
    o.status = status;
    o.updatedAt = this.clock.now();
    await this.em.flush();
    return o;
  }

  async owed(
    accountId: number,
    input: { amountFen: number; description: string; projectId?: string | null },
  ) {
    const account = await this.account(accountId);
    const o = this.em.create(OwedAmount, {
      id: newId(),
      account,
      project: await this.project(accountId, input.projectId),
      amountFen: input.amountFen,
      description: input.description,
      createdAt: this.clock.now(),
    });
    await this.em.flush();
    return o;
  }

  async settleOwed(id: string) {
    const o = await this.em.findOne(OwedAmount, { id });
    if (!o) throw new NotFoundError('Amount owed');
    o.settledAt ??= this.clock.now();
    await this.em.flush();
    return o;
  }

  async complaint(input: {
    complainantAccountId?: number | null;
    respondentAccountId?: number | null;
    subject: string;
  }) {
    const complainant = input.complainantAccountId ? await this.account(input.complainantAccountId) : null;
    const respondent = input.respondentAccountId ? await this.account(input.respondentAccountId) : null;
    const c = this.em.create(Complaint, {
      id: newId(),
      complainant,
      respondent,
      subject: input.subject,
      createdAt: this.clock.now(),
    });
    await this.em.flush();
    return c;
  }

  async closeComplaint(id: string) {
    const c = await this.em.findOne(Complaint, { id });
    if (!c) throw new NotFoundError('Complaint');
    if (c.status === 'open') {
      c.status = 'closed';
      c.closedAt = this.clock.now();
      await this.em.flush();
    }
    return c;
  }

  async resource(
    accountId: number,
    input: { type: string; name: string; projectId?: string | null; status: ResourceStatus },
  ) {
    const account = await this.account(accountId);
    const project = await this.project(accountId, input.projectId);
    return this.em.transactional(async (tem) => {
      // rule CAN-1: no new resource while a cancellation application is open.
      await assertNoOpenCancellation(tem, accountId);
      const now = this.clock.now();
      const r = tem.create(CloudResource, {
        id: newId(),
        account,
        project,
        type: input.type,
        name: input.name,
        status: input.status,
        createdAt: now,
        updatedAt: now,
      });
      await tem.flush();
      return r;
    });
  }

  async setResourceStatus(id: string, status: ResourceStatus) {
    const r = await this.em.findOne(CloudResource, { id });
    if (!r) throw new NotFoundError('Resource');
    r.status = status;
    r.updatedAt = this.clock.now();
    await this.em.flush();
    return r;
  }

  async domain(accountId: number, name: string) {
    const account = await this.account(accountId);
    return this.insertUnique(
      () => this.em.create(AccountDomain, { id: newId(), account, name, createdAt: this.clock.now() }),
      'domain_taken',
      'This domain is already held by an account',
    );
  }

  async icpFiling(accountId: number, filingNumber: string) {
    const account = await this.account(accountId);
    return this.insertUnique(
      () => this.em.create(IcpFiling, { id: newId(), account, filingNumber, createdAt: this.clock.now() }),
      'filing_taken',
      'This ICP filing number is already held by an account',
    );
  }

  private async insertUnique<T extends object>(make: () => T, code: string, message: string): Promise<T> {
    const row = make();
    try {
      await this.em.flush();
      return row;
    } catch (err) {
      this.em.clear();
      if (isUniqueViolation(err)) throw new ConflictError(code, message);
      throw err;
    }
  }
}
