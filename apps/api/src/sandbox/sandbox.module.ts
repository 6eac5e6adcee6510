import { Controller, Get, Inject, Module, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MikroORM } from '@mikro-orm/core';
import { z } from 'zod';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { BusinessCalendar } from '../../../../libs/domain/src/business-days';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { createBank } from '../../../../libs/integrations/src/bank/bank.factory';
import { SandboxBank } from '../../../../libs/integrations/src/bank/sandbox-bank';
import { Public } from '../auth/principal';
import { ApiQueryFrom, createZodDto, parseOr400 } from '../common/zod';

const statementQuery = z.object({
  accountNumber: z.string().regex(/^\d{8,30}$/, 'must be 8–30 digits'),
});

class StatementLineDto extends createZodDto(
  z.object({
    reference: z.string(),
    amountFen: z.number().int(),
    landedAt: z.string().nullable(),
    counterparty: z.string(),
  }),
) {}

/**
 * Stand-ins for the outside world, mounted only when SANDBOX_ROUTES=true: what a customer
 * would see in their own online banking. Never part of a production deployment.
 */
@ApiTags('sandbox (outside world)')
@Public()
@Controller('sandbox/bank')
class SandboxBankController {
  constructor(@Inject(SandboxBank) private readonly bank: SandboxBank) {}

  @Get('statement')
  @ApiOperation({
    summary: "The sandbox bank's statement of an account: landed transfers with their amounts",
  })
  @ApiQueryFrom(statementQuery)
  @ApiOkResponse({ type: [StatementLineDto] })
  @ApiResponse({ status: 400, description: '`accountNumber` is missing or malformed' })
  async statement(@Query() query: unknown) {
    const { accountNumber: n } = parseOr400(statementQuery, query);
    const transfers = await this.bank.statement(n);
    return transfers.map((t) => ({
      reference: t.reference,
      amountFen: t.amountFen,
      landedAt: t.landedAt?.toISOString() ?? null,
      counterparty: 'Account Center verification payout',
    }));
  }
}

@Module({
  controllers: [SandboxBankController],
  providers: [
    {
      provide: SandboxBank,
      useFactory: (config: AppConfig, orm: MikroORM, clock: Clock, calendar: BusinessCalendar) =>
        createBank(config, orm, clock, calendar),
      inject: [APP_CONFIG, MikroORM, CLOCK, BusinessCalendar],
    },
  ],
})
export class SandboxModule {}
