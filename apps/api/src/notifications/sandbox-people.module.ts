import { Controller, Get, Inject, Module, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/core';
import { ApiQueryFrom, createZodDto, parseOr400 } from '../common/zod';
import { z } from 'zod';
import { IDENTITY_PROVIDERS } from '../../../../libs/integrations/src/identity/identity-provider.port';
import { SandboxIdentityProvider } from '../../../../libs/integrations/src/identity/sandbox-identity-provider';
import { sandboxInbox } from '../../../../libs/integrations/src/notifier/sandbox-notifier';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { ValidationError } from '../../../../libs/domain/src/errors';
import { Public } from '../auth/principal';

const outboxMessage = z.object({
  channel: z.enum(['sms', 'email']),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  sentAt: z.string(),
});
class OutboxMessageDto extends createZodDto(outboxMessage) {}

const assertionResponse = z.object({
  provider: z.enum(IDENTITY_PROVIDERS),
  assertion: z.string().describe('Signed, expiring assertion, as an OAuth callback would hand it over'),
  expiresAt: z.string(),
});
class AssertionResponseDto extends createZodDto(assertionResponse) {}

const outboxQuery = z.object({ to: z.string().trim().toLowerCase().min(3).max(254) });
const authorizeQuery = z.object({
  provider: z.enum(IDENTITY_PROVIDERS),
  subject: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,128}$/),
  displayName: z.string().trim().min(1).max(100).optional(),
  /** wechat_oa only: the Official Account's verified subject, as WeChat's qualification check holds it. */
  enterpriseName: z.string().trim().min(1).max(200).optional(),
  licenceNumber: z
    .string()
    .trim()
    .regex(/^[0-9A-Z]{15,18}$/, 'must be a business licence number (15–18 letters and digits)')
    .optional(),
});

/**
 * Stand-ins for people's phones and mailboxes and for the QQ / WeChat / Official Account login
 * pages, mounted only with SANDBOX_ROUTES=true. Never part of a production deployment.
 */
@ApiTags('sandbox (outside world)')
@Public()
@Controller('sandbox')
class SandboxPeopleController {
  constructor(
    private readonly em: EntityManager,
    @Inject(SandboxIdentityProvider) private readonly identity: SandboxIdentityProvider,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('outbox')
  @ApiOperation({ summary: 'What a phone or mailbox received from the sandbox notifier, newest first' })
  @ApiOkResponse({ type: [OutboxMessageDto] })
  @ApiResponse({ status: 400, description: '`to` is missing or malformed' })
  @ApiQueryFrom(outboxQuery)
  async outbox(@Query() query: unknown): Promise<Array<z.infer<typeof outboxMessage>>> {
    let recipient = parseOr400(outboxQuery, query).to;
    // An unencoded `+` in a query string arrives as a space: accept +8613800138000 either way.
    if (/^\d{7,15}$/.test(recipient)) recipient = `+${recipient}`;
    const rows = await sandboxInbox(this.em, recipient, this.clock.now());
    return rows.map((m) => ({
      channel: m.channel,
      to: m.recipient,
      subject: m.subject,
      text: m.body,
      sentAt: m.createdAt.toISOString(),
    }));
  }

  @Get('identity/authorize')
  @ApiOperation({
    summary:
      "The provider's login page and OAuth callback in one step: returns a signed assertion for the identity",
  })
  @ApiOkResponse({ type: AssertionResponseDto })
  @ApiResponse({ status: 400, description: 'A query parameter is missing or malformed' })
  @ApiQueryFrom(authorizeQuery)
  authorize(@Query() query: unknown): z.infer<typeof assertionResponse> {
    const q = parseOr400(authorizeQuery, query);
    const { provider: p, subject: s } = q;
    const name = q.displayName ?? s;
    if ((q.enterpriseName === undefined) !== (q.licenceNumber === undefined)) {
      throw new ValidationError(
        q.enterpriseName === undefined ? 'enterpriseName' : 'licenceNumber',
        'An Official Account subject needs both enterpriseName and licenceNumber',
      );
    }
    if (q.enterpriseName !== undefined && p !== 'wechat_oa') {
      throw new ValidationError(
        'enterpriseName',
        'Only an Official Account (wechat_oa) has a verified subject',
      );
    }
    const enterprise =
      q.enterpriseName !== undefined && q.licenceNumber !== undefined
        ? { name: q.enterpriseName, licenceNumber: q.licenceNumber }
        : undefined;
    const { assertion, expiresAt } = this.identity.authorize({
      provider: p,
      subject: s,
      displayName: name,
      ...(enterprise ? { enterprise } : {}),
    });
    return { provider: p, assertion, expiresAt: expiresAt.toISOString() };
  }
}

@Module({ controllers: [SandboxPeopleController] })
export class SandboxPeopleModule {}
