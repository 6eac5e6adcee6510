import { Body, Controller, Delete, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/core';
import type { Request } from 'express';
import { UnauthenticatedError } from '../../../../libs/domain/src/errors';
import { Account } from '../../../../libs/persistence/src/entities';
import { PasswordHasher } from './password-hasher';
import { CurrentAccount, Public, type OwnerPrincipal } from './principal';
import { SessionResponseDto, SignInDto, type SessionResponse } from './sessions.dto';
import { SessionService } from './session.service';

@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly em: EntityManager,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
  ) {}

  @Public()
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Sign in with email and password; returns a bearer session token' })
  @ApiResponse({ status: 201, type: SessionResponseDto })
  @ApiResponse({
    status: 401,
    description: 'invalid_credentials (same answer for unknown account and wrong password)',
  })
  async signIn(@Body() body: SignInDto, @Req() req: Request): Promise<SessionResponse> {
    const account = await this.em.findOne(
      Account,
      { email: body.email, status: 'active' },
      { populate: ['passwordHash'] },
    );
    const ok = await this.hasher.verify(account?.passwordHash, body.password);
    if (!account || !ok) throw new UnauthenticatedError('Wrong account or password', 'invalid_credentials');
    const issued = await this.sessions.issue(account, { ip: req.ip, userAgent: req.header('user-agent') });
    return { token: issued.token, accountId: account.id, expiresAt: issued.expiresAt.toISOString() };
  }

  @Delete('current')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out: ends this session' })
  async signOut(@CurrentAccount() principal: OwnerPrincipal): Promise<void> {
    await this.sessions.revoke(principal.sessionId);
  }
}
