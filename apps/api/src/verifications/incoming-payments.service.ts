import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { NotFoundError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { maskTail } from '../../../../libs/domain/src/masking';
import { accountOfCollectionAccount } from '../../../../libs/domain/src/recharge-verification';
import type { TransferReceivedEvent } from '../../../../libs/integrations/src/bank/bank-gateway.port';
import { isUniqueViolation } from '../../../../libs/persistence/src/database';
import { Account, IncomingPayment } from '../../../../libs/persistence/src/entities';
import { rechargeSignals } from '../../../../libs/temporal/src/contract';
import { LedgerService } from '../billing/ledger.service';
import { RechargeVerificationsService } from './recharge-verifications.service';

/**
 * RN-9: money the bank reports into an account's collection account. Every payment is credited
 * to the account's balance through the ledger, once per bank reference, matched or not (money is
 * never lost), and then told to the account's open recharge verification, whose workflow decides
 * whether it matches. A report the bank sends again is credited once and told again (the
 * workflow looks at each payment once).
 */
@Injectable()
export class IncomingPaymentsService {
  private readonly logger = new Logger(IncomingPaymentsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
    private readonly ledger: LedgerService,
    private readonly recharge: RechargeVerificationsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async receive(event: TransferReceivedEvent): Promise<{ credited: boolean; told: boolean }> {
    const accountId = accountOfCollectionAccount(event.beneficiaryAccount);
    const account = accountId ? await this.em.fork().findOne(Account, { id: accountId }) : null;
    if (!accountId || !account) throw new NotFoundError('Collection account');

    let credited = false;
    try {
      await this.ledger.post(
        accountId,
        {
          kind: 'recharge',
          amountFen: event.amountFen,
          description: 'Bank transfer into the collection account',
          reference: `bank:${event.reference}`,
        },
        // In the posting transaction: the payment row's unique bank reference makes a repeated
        // report roll the whole credit back, so a payment is credited exactly once.
        async (tem) => {
          tem.create(IncomingPayment, {
            id: newId(),
            bankReference: event.reference,
            account: tem.getReference(Account, accountId),
            channel: event.channel,
            payerHolder: event.payerAccountHolder,
            payerAccountMasked: maskTail(event.payerAccountNumber),
            amountFen: event.amountFen,
            arrivedAt: new Date(event.arrivedAt),
            createdAt: this.clock.now(),
          });
          await tem.flush();
        },
      );
      credited = true;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    const payment = await this.em.fork().findOneOrFail(IncomingPayment, { bankReference: event.reference });
    if (payment.rechargeVerificationId) return { credited, told: false };

    const open = await this.recharge.findOpen(accountId);
    if (!open) return { credited, told: false };
    try {
      await this.temporal.workflow
        .getHandle(open.workflowId, open.runId ?? undefined)
        .signal(rechargeSignals.paymentArrived, {
          paymentId: payment.id,
          arrivedAt: payment.arrivedAt.toISOString(),
        });
    } catch (err) {
      // The verification ended meanwhile: the money is credited; nothing else to do.
      if (err instanceof WorkflowNotFoundError) {
        this.logger.log(`payment ${payment.id} arrived for closed recharge verification ${open.id}`);
        return { credited, told: false };
      }
      throw err;
    }
    return { credited, told: true };
  }
}
