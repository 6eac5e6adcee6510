import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { ConflictError, NotFoundError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import {
  Account,
  LedgerEntry,
  Project,
  type LedgerEntryKind,
} from '../../../../libs/persistence/src/entities';
import { execWrite } from '../common/sql';

const DEBITS: readonly LedgerEntryKind[] = ['withdrawal', 'charge'];

export interface PostEntry {
  kind: LedgerEntryKind;
  /** The amount moved, in fen, always positive; the sign follows from the kind. */
  amountFen: number;
  description: string;
  projectId?: string | null;
  reference?: string | null;
}

/**
 * The cash balance as a ledger in integer fen. The balance is the sum of the entries; every
 * entry is posted in one transaction together with a conditional UPDATE of the account's
 * `account_balances` row (`balance_fen >= amount` for debits). The UPDATE locks the row, so
 * concurrent debits queue and each re-checks the committed balance: the balance can never go
 * below zero.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Posts one entry. `guard` runs first inside the posting transaction, so what it checks (and
   * locks) holds when the entry commits: the sandbox recharge refuses there while a cancellation
   * is open (CAN-1).
   */
  async post(
    accountId: number,
    entry: PostEntry,
    guard?: (tem: EntityManager) => Promise<void>,
  ): Promise<{ entry: LedgerEntry; balanceFen: number }> {
    if (!Number.isSafeInteger(entry.amountFen) || entry.amountFen <= 0) {
      throw new Error('ledger amounts are positive integers of fen');
    }
    const debit = DEBITS.includes(entry.kind);
    const id = await this.em.transactional(async (tem) => {
      await guard?.(tem);
      if (entry.projectId) {
        const project = await tem.findOne(Project, { id: entry.projectId, account: accountId });
        if (!project) throw new NotFoundError('Project', 'not_found', { field: 'projectId' });
      }
      // The lock/cache row starts from the ledger itself.
      await execWrite(
        tem,
        'insert into account_balances (account_id, balance_fen) values (?, ' +
          '(select coalesce(sum(amount_fen), 0) from ledger_entries where account_id = ?)) ' +
          'on conflict (account_id) do nothing',
        [accountId, accountId],
      );
      const changed = debit
        ? await execWrite(
            tem,
            'update account_balances set balance_fen = balance_fen - ? where account_id = ? and balance_fen >= ?',
            [entry.amountFen, accountId, entry.amountFen],
          )
        : await execWrite(
            tem,
            'update account_balances set balance_fen = balance_fen + ? where account_id = ?',
            [entry.amountFen, accountId],
          );
      if (changed !== 1) {
        throw new ConflictError('insufficient_balance', `The balance does not cover ${entry.amountFen} fen`, {
          field: 'amountFen',
        });
      }
      const row = tem.create(LedgerEntry, {
        id: newId(),
        account: tem.getReference(Account, accountId),
        kind: entry.kind,
        amountFen: debit ? -entry.amountFen : entry.amountFen,
        description: entry.description,
        project: entry.projectId ? tem.getReference(Project, entry.projectId) : null,
        reference: entry.reference ?? null,
        createdAt: this.clock.now(),
      });
      await tem.flush();
      return row.id;
    });
    const saved = await this.em.findOneOrFail(LedgerEntry, { id });
    return { entry: saved, balanceFen: await this.balance(accountId) };
  }

  /** The balance: the sum of the ledger (the source of truth). */
  async balance(accountId: number): Promise<number> {
    const row = (await this.em
      .getConnection()
      .execute(
        'select coalesce(sum(amount_fen), 0) as total from ledger_entries where account_id = ?',
        [accountId],
        'get',
      )) as { total: number | string } | undefined;
    return Number(row?.total ?? 0);
  }

  entries(accountId: number, limit: number): Promise<LedgerEntry[]> {
    return this.em.find(
      LedgerEntry,
      { account: accountId },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit },
    );
  }
}
