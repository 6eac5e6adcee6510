import { Body, Controller, Delete, Get, HttpCode, Module, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { createZodDto } from '../common/zod';
import { z } from 'zod';
import { Public, type StaffPrincipal } from '../auth/principal';
import { requestMeta } from '../auth/sessions.controller';
import { CurrentStaff, StaffOnly } from '../auth/staff-principal';
import { StaffSessionsService } from './staff-sessions.service';
import { StaffService } from './staff.service';
import { RateLimited } from '../common/request-limits';

export class StaffSignInDto extends createZodDto(
  z.object({
    email: z.string().trim().toLowerCase().min(1).max(254),
    password: z.string().min(1).max(128),
    code: z
      .string()
      .regex(/^\d{6}$/, 'must be 6 digits')
      .describe('Current TOTP code (mandatory)'),
  }),
) {}
const staffSessionSchema = z.object({
  token: z.string().describe('Staff bearer token (`stf_…`); never valid on account endpoints'),
  staffId: z.string(),
  role: z.string(),
  expiresAt: z.string(),
});
export class StaffSessionDto extends createZodDto(staffSessionSchema) {}
const staffMeSchema = z.object({ staffId: z.string(), email: z.string(), role: z.string() });
export class StaffMeDto extends createZodDto(staffMeSchema) {}

@ApiTags('staff')
@StaffOnly()
@Controller('staff')
export class StaffController {
  constructor(
    private readonly staff: StaffService,
    private readonly sessions: StaffSessionsService,
  ) {}

  @Public()
  @Post('sessions')
  @RateLimited('sign_in')
  @HttpCode(201)
  @ApiOperation({ summary: 'Staff sign-in: password plus a mandatory TOTP code' })
  @ApiResponse({ status: 201, type: StaffSessionDto })
  @ApiResponse({ status: 400, description: 'A field is invalid' })
  @ApiResponse({
    status: 401,
    description: 'invalid_credentials (unknown staff, wrong password, wrong or reused code)',
  })
  @ApiResponse({ status: 423, description: 'account_locked: 10 failures in a day lock for 24 hours' })
  async signIn(
    @Body() body: StaffSignInDto,
    @Req() req: Request,
  ): Promise<z.infer<typeof staffSessionSchema>> {
    return this.staff.signIn(body, requestMeta(req));
  }

  @Get('me')
  @ApiOperation({ summary: 'The signed-in staff member' })
  @ApiResponse({ status: 200, type: StaffMeDto })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'staff_only: an account session' })
  async me(@CurrentStaff() principal: StaffPrincipal): Promise<z.infer<typeof staffMeSchema>> {
    const s = await this.staff.get(principal.staffId);
    return { staffId: s.id, email: s.email, role: s.role };
  }

  @Delete('sessions/current')
  @HttpCode(204)
  @ApiOperation({ summary: 'Staff sign-out: ends this staff session' })
  @ApiResponse({ status: 204, description: 'Ended' })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'staff_only: an account session' })
  async signOut(@CurrentStaff() principal: StaffPrincipal): Promise<void> {
    await this.sessions.revoke(principal.sessionId);
  }
}

@Module({ controllers: [StaffController], providers: [StaffService] })
export class StaffModule {}
