import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/principal';
import {
  FindAccountByRealNameDto,
  FindAccountDto,
  FindAccountResponseDto,
  type FindAccountResponse,
} from './find-account.dto';
import { FindAccountService } from './find-account.service';

@ApiTags('find my account')
@Public()
@Controller('find-account')
export class FindAccountController {
  constructor(private readonly service: FindAccountService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Find my account (ACC-5) by bound security phone, account ID, domain name or ICP filing number: masked account IDs and login methods. Same answer shape whether or not anything matched. Rate-limited per client IP (FIND_ACCOUNT_RATE_LIMIT_PER_MINUTE, sliding 60 s).',
  })
  @ApiOkResponse({ type: FindAccountResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({ status: 429, description: 'rate_limited (Retry-After)' })
  async find(@Body() body: FindAccountDto, @Req() req: Request): Promise<FindAccountResponse> {
    return this.service.find(body.site, body.by, body.value, req.ip ?? 'unknown');
  }

  @Post('real-name')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Find my account by real-name information (issue 11 §1, RN-2): a person's name and ID number, or an enterprise's name and licence number. Masked account IDs and login methods of the accounts whose current real-name record holds that identity (its slots). Same answer shape whether or not anything matched; the same per-client limit as the other look-ups.",
  })
  @ApiOkResponse({ type: FindAccountResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({ status: 429, description: 'rate_limited (Retry-After)' })
  async findByRealName(
    @Body() body: FindAccountByRealNameDto,
    @Req() req: Request,
  ): Promise<FindAccountResponse> {
    return this.service.findByRealName(
      body.site,
      body.kind,
      body.name,
      body.certificateNumber,
      req.ip ?? 'unknown',
    );
  }
}
