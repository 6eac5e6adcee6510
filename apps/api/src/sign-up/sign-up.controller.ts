import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiCodeSendResponses, DESTINATION_REFUSED_400 } from '../notifications/code-send.responses';
import type { Request } from 'express';
import type { AccountType } from '../../../../libs/persistence/src/entities';
import type { IdentityProviderName } from '../../../../libs/integrations/src/identity/identity-provider.port';
import { toAccountResponse } from '../accounts/accounts.mapper';
import { AccountsService } from '../accounts/accounts.service';
import { Public } from '../auth/principal';
import { ThirdPartyIdentities } from '../login-methods/third-party-identities';
import { AccountSignIn } from '../login-methods/sign-in.adapter';
import {
  CodeSentResponseDto,
  SignUpCodeRequestDto,
  ThirdPartySignUpDto,
  ThirdPartySignUpResponseDto,
  type CodeSentResponse,
  type ThirdPartySignUpResponse,
} from './sign-up.dto';
import { RateLimited } from '../common/request-limits';

/** rule ACC-2: enterprises are told that personal QQ/WeChat identities leave with the employee. */
export function enterpriseRecommendation(
  accountType: AccountType,
  provider: IdentityProviderName,
): ThirdPartySignUpResponse['recommendation'] {
  if (accountType !== 'enterprise' || (provider !== 'qq' && provider !== 'wechat')) return null;
  return {
    rule: 'ACC-2',
    recommendedMethods: ['email', 'wechat_oa'],
    message:
      'For an enterprise account we recommend signing up with an email address or a WeChat Official Account: a personal QQ or WeChat identity leaves with the employee who holds it.',
  };
}

@ApiTags('sign-up')
@Public()
@Controller('sign-up')
export class SignUpController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly identities: ThirdPartyIdentities,
    @Inject(AccountSignIn) private readonly signIn: AccountSignIn,
  ) {}

  @Post('email/codes')
  @RateLimited('code_send')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Send a sign-up code to an email address (ACC-2). The answer is the same whether or not the address already has an account.',
  })
  @ApiResponse({ status: 202, type: CodeSentResponseDto })
  @ApiResponse({
    status: 400,
    description: `A field is invalid; \`error.field\` names it. ${DESTINATION_REFUSED_400}`,
  })
  @ApiCodeSendResponses()
  async sendCode(@Body() body: SignUpCodeRequestDto): Promise<CodeSentResponse> {
    const sent = await this.accounts.requestSignUpCode(body.site, body.email);
    return { expiresAt: sent.expiresAt.toISOString(), resendAfterSeconds: sent.resendAfterSeconds };
  }

  @Post('third-party')
  @RateLimited('sign_up')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Sign up with QQ, WeChat or a WeChat Official Account (ACC-2, ACC-4, ACC-7). The account is signed in at once; an enterprise sign-up with QQ or WeChat gets the ACC-2 recommendation.',
  })
  @ApiResponse({ status: 201, type: ThirdPartySignUpResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({
    status: 401,
    description: 'identity_assertion_invalid (bad signature, expired, wrong provider)',
  })
  @ApiResponse({
    status: 409,
    description: 'identity_taken: the identity already registered an account on this site',
  })
  async thirdParty(
    @Body() body: ThirdPartySignUpDto,
    @Req() req: Request,
  ): Promise<ThirdPartySignUpResponse> {
    const identity = await this.identities.verify(body.provider, body.assertion);
    const account = await this.accounts.signUpWithIdentity({
      site: body.site,
      identity,
      accountType: body.accountType,
    });
    const signIn = await this.signIn.complete(account, {
      method: body.provider,
      ip: req.ip,
      userAgent: req.header('user-agent'),
    });
    return {
      account: toAccountResponse(account, null, await this.accounts.advice(account.id)),
      signIn,
      recommendation: enterpriseRecommendation(body.accountType, body.provider),
    };
  }
}
