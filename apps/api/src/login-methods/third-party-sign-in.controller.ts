import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/principal';
import {
  AccountChoiceDto,
  SignInOutcomeDto,
  ThirdPartySignInDto,
  ThirdPartySignInResponseDto,
  type ThirdPartySignInResponse,
} from './login-methods.dto';
import { ThirdPartySignInService } from './third-party-sign-in.service';
import { RateLimited } from '../common/request-limits';

@ApiTags('sessions')
@Public()
@Controller('sessions/third-party')
export class ThirdPartySignInController {
  constructor(private readonly service: ThirdPartySignInService) {}

  @Post()
  @RateLimited('sign_in')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Sign in with QQ, WeChat or an Official Account. One account: a session (or an MFA challenge). A WeChat identity bound to several accounts: the masked list and a selection ticket (ACC-7).',
  })
  @ApiResponse({ status: 201, type: ThirdPartySignInResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({
    status: 401,
    description: 'identity_assertion_invalid (bad signature, expired, wrong provider); identity_not_linked',
  })
  async signIn(@Body() body: ThirdPartySignInDto, @Req() req: Request): Promise<ThirdPartySignInResponse> {
    return this.service.start(body.site, body.provider, body.assertion, {
      ip: req.ip,
      userAgent: req.header('user-agent'),
    });
  }

  @Post('choice')
  @RateLimited('sign_in')
  @HttpCode(201)
  @ApiOperation({
    summary: 'ACC-7 second step: enter the chosen account with the selection ticket (single use, 5 minutes)',
  })
  @ApiResponse({ status: 201, type: SignInOutcomeDto })
  @ApiResponse({ status: 400, description: 'option is out of range' })
  @ApiResponse({ status: 401, description: 'selection_ticket_invalid: expired, used or unknown' })
  async choose(@Body() body: AccountChoiceDto, @Req() req: Request): Promise<ThirdPartySignInResponse> {
    return this.service.choose(body.selectionTicket, body.option, {
      ip: req.ip,
      userAgent: req.header('user-agent'),
    });
  }
}
