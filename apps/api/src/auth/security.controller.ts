import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createZodDto, ApiQueryFrom } from '../common/zod';
import { z } from 'zod';
import { passwordSchema } from '../accounts/accounts.dto';
import { parseOr400 } from '../common/zod';
import { LoginHistoryService } from './login-history.service';
import { PasswordService } from './password.service';
import { CurrentAccount, type OwnerPrincipal } from './principal';
import { RequiresStepUp } from './step-up.guard';

export class ChangePasswordDto extends createZodDto(
  z.object({ currentPassword: z.string().min(1).max(128), newPassword: passwordSchema }),
) {}
export class ChangePasswordResponseDto extends createZodDto(
  z.object({ endedSessions: z.number().int().describe('Other sessions ended by the change (ACC-14)') }),
) {}

const loginEventSchema = z.object({
  at: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  method: z.string().describe('password, email_code, qq, wechat, wechat_oa, …'),
  result: z
    .string()
    .describe('success, mfa_required, wrong_password, locked, captcha_required, captcha_failed, mfa_failed'),
});
type LoginEventResponse = z.infer<typeof loginEventSchema>;
export class LoginHistoryPageDto extends createZodDto(
  z.object({
    items: z.array(loginEventSchema),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
  }),
) {}

const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

@ApiTags('account security')
@ApiBearerAuth()
@Controller('accounts/me')
export class AccountSecurityController {
  constructor(
    private readonly passwords: PasswordService,
    private readonly history: LoginHistoryService,
  ) {}

  @Post('password')
  @HttpCode(200)
  // The current password in the body is the re-authentication (ASVS 7.5.1); with operation
  // protection on, an MFA step-up is needed as well (MFA-3).
  @RequiresStepUp({ currentPasswordInBody: true })
  @ApiOperation({
    summary: 'Change the password (ACC-14, MFA-3)',
    description:
      'Needs the current password. Takes effect at once: the old password stops working and every other ' +
      'session of the account ends; this one stays.',
  })
  @ApiResponse({ status: 200, type: ChangePasswordResponseDto })
  @ApiResponse({
    status: 400,
    description:
      'current_password_wrong (counts as a wrong password for CON-2), password_unchanged, or an invalid field',
  })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'owner_only, or step_up_required (MFA-3)' })
  @ApiResponse({ status: 423, description: 'account_locked (CON-2)' })
  async changePassword(
    @CurrentAccount() principal: OwnerPrincipal,
    @Body() body: ChangePasswordDto,
  ): Promise<{ endedSessions: number }> {
    return this.passwords.change(principal, body.currentPassword, body.newPassword);
  }

  @Get('login-history')
  @ApiOperation({ summary: 'Sign-in attempts on this account, newest first (ACC-13)' })
  @ApiQueryFrom(pageQuery)
  @ApiResponse({ status: 200, type: LoginHistoryPageDto })
  @ApiResponse({ status: 400, description: 'page or pageSize invalid' })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'owner_only: not an account owner session' })
  async loginHistory(
    @CurrentAccount() principal: OwnerPrincipal,
    @Query() query: Record<string, unknown>,
  ): Promise<{ items: LoginEventResponse[]; page: number; pageSize: number; total: number }> {
    const { page, pageSize } = parseOr400(pageQuery, query);
    const { items, total } = await this.history.page(principal.accountId, page, pageSize);
    return {
      items: items.map((e) => ({
        at: e.at.toISOString(),
        ip: e.ip ?? null,
        userAgent: e.userAgent ?? null,
        method: e.method,
        result: e.result,
      })),
      page,
      pageSize,
      total,
    };
  }
}
