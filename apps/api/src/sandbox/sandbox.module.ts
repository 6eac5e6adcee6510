import { Body, Controller, Get, HttpCode, Inject, Module, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MikroORM } from '@mikro-orm/core';
import { z } from 'zod';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { BusinessCalendar } from '../../../../libs/domain/src/business-days';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { createBank } from '../../../../libs/integrations/src/bank/bank.factory';
import { SandboxBank, UnknownPayerAccountError } from '../../../../libs/integrations/src/bank/sandbox-bank';
import { createFaceVerifier } from '../../../../libs/integrations/src/face/face.factory';
import { SandboxFaceVerifier } from '../../../../libs/integrations/src/face/sandbox-face-verifier';
import { ValidationError } from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { RECHARGE_CHANNELS } from '../../../../libs/domain/src/recharge-verification';
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

/** A transfer as the payer orders it at their own bank (RN-9's channels, or another one). */
class IncomingTransferDto extends createZodDto(
  z.object({
    channel: z
      .enum([...RECHARGE_CHANNELS, 'third_party_payment'])
      .describe('How the payer pays; `third_party_payment` (e.g. a payment app) is not one RN-9 accepts'),
    payerAccount: z.object({
      number: z.string().regex(/^\d{8,30}$/, 'must be 8–30 digits'),
      holder: z.string().trim().min(1).max(200),
    }),
    toAccount: z
      .string()
      .regex(/^\d{8,30}$/, 'must be 8–30 digits')
      .describe('The collection account'),
    amountFen: z.number().int().min(1).max(100_000_000),
    idempotencyKey: z
      .string()
      .regex(/^[\x21-\x7E]{1,64}$/)
      .optional()
      .describe('Same key, same transfer'),
  }),
) {}

class IncomingTransferResponseDto extends createZodDto(
  z.object({ reference: z.string(), arrivesAt: z.string() }),
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

  @Post('incoming-transfers')
  @ApiOperation({
    summary:
      "The payer's bank: send money into a collection account (RN-9); the platform hears of it by webhook once it arrives",
  })
  @ApiResponse({ status: 201, type: IncomingTransferResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid, or the payer account does not exist' })
  async incoming(@Body() body: IncomingTransferDto): Promise<{ reference: string; arrivesAt: string }> {
    try {
      const r = await this.bank.receiveTransfer({
        idempotencyKey: body.idempotencyKey ?? `sandbox:${newId()}`,
        channel: body.channel,
        payerAccountNumber: body.payerAccount.number,
        payerAccountHolder: body.payerAccount.holder,
        beneficiaryAccount: body.toAccount,
        amountFen: body.amountFen,
      });
      return { reference: r.reference, arrivesAt: r.arrivesAt.toISOString() };
    } catch (err) {
      if (err instanceof UnknownPayerAccountError) {
        throw new ValidationError('payerAccount.number', 'The bank knows no such account');
      }
      throw err;
    }
  }
}

const faceSessionSchema = z.string().regex(/^FACE[0-9A-HJKMNP-TV-Z]{26}$/, 'is not a face session');

class LivenessCaptureDto extends createZodDto(
  z.object({
    face: z
      .enum(['clear', 'covered'])
      .describe('`covered`: a mask, a hand or sunglasses hide part of the face'),
    framing: z.enum(['full', 'partial']).describe('`partial`: the face was not fully inside the frame'),
    likeness: z
      .number()
      .int()
      .min(0)
      .max(100)
      .describe(
        'How alike the captured face and the ID photo of the identity register are, 0–100 (80 passes)',
      ),
  }),
) {}

/**
 * The face recognition service's liveness page (RN-6), as the user's phone would post it: what
 * the camera captured. The result follows a moment later by the service's signed callback.
 */
@ApiTags('sandbox (outside world)')
@Public()
@Controller('sandbox/face')
class SandboxFaceController {
  constructor(@Inject(SandboxFaceVerifier) private readonly face: SandboxFaceVerifier) {}

  @Post('sessions/:session/liveness')
  @HttpCode(202)
  @ApiOperation({ summary: "The liveness step of a face session: what the user's camera captured (RN-6)" })
  @ApiResponse({ status: 202, description: 'Captured; the result follows by the signed callback' })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({ status: 404, description: 'No such face session' })
  @ApiResponse({ status: 409, description: 'liveness_already_done or face_session_expired' })
  async liveness(@Param('session') session: string, @Body() body: LivenessCaptureDto) {
    return this.face.submitLiveness(parseOr400(faceSessionSchema, session, 'session'), body);
  }
}

@Module({
  controllers: [SandboxBankController, SandboxFaceController],
  providers: [
    {
      provide: SandboxBank,
      useFactory: (config: AppConfig, orm: MikroORM, clock: Clock, calendar: BusinessCalendar) =>
        createBank(config, orm, clock, calendar),
      inject: [APP_CONFIG, MikroORM, CLOCK, BusinessCalendar],
    },
    {
      provide: SandboxFaceVerifier,
      useFactory: (config: AppConfig, orm: MikroORM, clock: Clock) => createFaceVerifier(config, orm, clock),
      inject: [APP_CONFIG, MikroORM, CLOCK],
    },
  ],
})
export class SandboxModule {}
