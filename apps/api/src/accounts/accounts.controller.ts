import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, Public, type OwnerPrincipal } from '../auth/principal';
import { AccountResponseDto, SignUpDto, type AccountResponse } from './accounts.dto';
import { toAccountResponse } from './accounts.mapper';
import { AccountsService } from './accounts.service';
import { RateLimited } from '../common/request-limits';

@ApiTags('accounts')
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Public()
  @Post()
  @RateLimited('sign_up')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Sign up with an email confirmed by a code, and a password (ACC-1, ACC-2, ACC-4, ACC-6, ACC-11). Get the code from POST /sign-up/email/codes.',
  })
  @ApiResponse({ status: 201, type: AccountResponseDto })
  @ApiResponse({
    status: 400,
    description:
      'A field is invalid; `error.field` names it. On `code`: code_invalid (with attemptsLeft), code_expired, code_attempts_exhausted',
  })
  @ApiResponse({
    status: 409,
    description: 'email_taken: the email registered or logs in to an account on this site (ACC-6)',
  })
  async signUp(@Body() body: SignUpDto): Promise<AccountResponse> {
    const account = await this.accounts.signUpWithEmail(body);
    return toAccountResponse(account, null, await this.accounts.advice(account.id));
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in account, with its verification status (RN-11)' })
  @ApiResponse({ status: 200, type: AccountResponseDto })
  @ApiResponse({ status: 401, description: 'No valid session' })
  async me(@CurrentAccount() principal: OwnerPrincipal): Promise<AccountResponse> {
    const { account, realName, advice } = await this.accounts.info(principal.accountId);
    return toAccountResponse(account, realName, advice);
  }
}
