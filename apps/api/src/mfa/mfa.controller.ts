import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, type OwnerPrincipal, type StaffPrincipal } from '../auth/principal';
import { CurrentStaff, StaffOnly } from '../auth/staff-principal';
import { RequiresStepUp } from '../auth/step-up.guard';
import {
  BindHardwareDto,
  ConfirmDeviceDto,
  CreateVirtualDeviceDto,
  DeviceDto,
  HardwareTokenDto,
  HardwareTokenListDto,
  NewVirtualDto,
  OverviewDto,
  ProtectionDto,
  ProtectionResponseDto,
  RegisterHardwareTokenDto,
  type DeviceResponse,
  type HardwareTokenResponse,
  type NewVirtualResponse,
  type OverviewResponse,
} from './mfa.dto';
import { toDeviceResponse } from './mfa.mapper';
import { MfaService } from './mfa.service';

const E401 = { status: 401, description: 'No valid session' } as const;
const E403 = { status: 403, description: 'owner_only, or step_up_required (MFA-3)' } as const;

@ApiTags('mfa')
@ApiBearerAuth()
@Controller('mfa')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @Get()
  @ApiOperation({ summary: 'Protection switches and MFA devices of the account (ACC-12, MFA-1)' })
  @ApiResponse({ status: 200, type: OverviewDto })
  @ApiResponse(E401)
  @ApiResponse({ status: 403, description: 'owner_only' })
  async overview(@CurrentAccount() principal: OwnerPrincipal): Promise<OverviewResponse> {
    const { settings, devices } = await this.mfa.overview(principal.accountId);
    return { ...settings, devices: devices.map(toDeviceResponse) };
  }

  @Post('devices/virtual')
  @HttpCode(201)
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Start binding a virtual MFA device (MFA-1)',
    description:
      'Returns the secret and an otpauth URI (for a QR code) once; bind by confirming a first code (MFA-4).',
  })
  @ApiResponse({ status: 201, type: NewVirtualDto })
  @ApiResponse({ status: 400, description: 'A field is invalid' })
  @ApiResponse(E401)
  @ApiResponse(E403)
  @ApiResponse({ status: 409, description: 'mfa_device_limit' })
  async createVirtual(
    @CurrentAccount() principal: OwnerPrincipal,
    @Body() body: CreateVirtualDeviceDto,
  ): Promise<NewVirtualResponse> {
    const r = await this.mfa.createVirtual(principal.accountId, body.name);
    return { device: toDeviceResponse(r.device), secret: r.secret, otpauthUri: r.otpauthUri };
  }

  @Post('devices/:deviceId/confirm')
  @HttpCode(200)
  @RequiresStepUp()
  @ApiOperation({ summary: 'Bind a pending virtual device by proving a first code from it (MFA-4)' })
  @ApiResponse({ status: 200, type: DeviceDto })
  @ApiResponse({ status: 400, description: 'mfa_code_invalid: wrong or already used code' })
  @ApiResponse(E401)
  @ApiResponse(E403)
  @ApiResponse({ status: 404, description: 'No such device on this account' })
  @ApiResponse({ status: 409, description: 'mfa_device_already_bound' })
  async confirm(
    @CurrentAccount() principal: OwnerPrincipal,
    @Param('deviceId') deviceId: string,
    @Body() body: ConfirmDeviceDto,
  ): Promise<DeviceResponse> {
    return toDeviceResponse(await this.mfa.confirm(principal.accountId, deviceId, body.code));
  }

  @Post('devices/hardware')
  @HttpCode(201)
  @RequiresStepUp()
  @ApiOperation({ summary: 'Bind a hardware token by its serial and a current code (MFA-1, MFA-4)' })
  @ApiResponse({ status: 201, type: DeviceDto })
  @ApiResponse({ status: 400, description: 'mfa_code_invalid, or an invalid field' })
  @ApiResponse(E401)
  @ApiResponse(E403)
  @ApiResponse({ status: 404, description: 'No registered token with this serial' })
  @ApiResponse({ status: 409, description: 'hardware_token_bound, mfa_device_limit' })
  async bindHardware(
    @CurrentAccount() principal: OwnerPrincipal,
    @Body() body: BindHardwareDto,
  ): Promise<DeviceResponse> {
    return toDeviceResponse(
      await this.mfa.bindHardware(principal.accountId, body.serial, body.code, body.name),
    );
  }

  @Delete('devices/:deviceId')
  @HttpCode(204)
  @RequiresStepUp()
  @ApiOperation({ summary: 'Remove an MFA device (a lost device goes through an appeal, MFA-5)' })
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiResponse(E401)
  @ApiResponse(E403)
  @ApiResponse({ status: 404, description: 'No such device on this account' })
  @ApiResponse({ status: 422, description: 'mfa_device_required: the last device while a protection is on' })
  async remove(
    @CurrentAccount() principal: OwnerPrincipal,
    @Param('deviceId') deviceId: string,
  ): Promise<void> {
    await this.mfa.remove(principal.accountId, deviceId);
  }

  @Put('protection')
  @HttpCode(200)
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Turn login protection (MFA-2) and/or operation protection (MFA-3) on or off (ACC-12)',
    description: 'A sensitive operation itself: with operation protection on it needs a fresh step-up.',
  })
  @ApiResponse({ status: 200, type: ProtectionResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid' })
  @ApiResponse(E401)
  @ApiResponse(E403)
  @ApiResponse({ status: 422, description: 'mfa_device_required: no bound device' })
  async setProtection(
    @CurrentAccount() principal: OwnerPrincipal,
    @Body() body: ProtectionDto,
  ): Promise<{ loginProtection: boolean; operationProtection: boolean }> {
    return this.mfa.setProtection(principal.accountId, body);
  }
}

@ApiTags('staff')
@StaffOnly('operator')
@Controller('staff/mfa/hardware-tokens')
export class StaffHardwareTokensController {
  constructor(private readonly mfa: MfaService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: "Register a hardware token's serial and seed (operators; MFA-1)" })
  @ApiResponse({ status: 201, type: HardwareTokenDto })
  @ApiResponse({ status: 400, description: 'A field is invalid (seed must be base32)' })
  @ApiResponse(E401)
  @ApiResponse({ status: 403, description: 'staff_only, staff_role_required (operator)' })
  @ApiResponse({ status: 409, description: 'hardware_token_exists' })
  async register(
    @CurrentStaff(['operator']) staff: StaffPrincipal,
    @Body() body: RegisterHardwareTokenDto,
  ): Promise<HardwareTokenResponse> {
    const t = await this.mfa.registerHardwareToken(staff.staffId, body.serial, body.seed);
    return { serial: t.serial, registeredAt: t.registeredAt.toISOString(), bound: false };
  }

  @Get()
  @ApiOperation({
    summary: 'Registered hardware tokens, newest first, and whether each is bound (operators)',
  })
  @ApiResponse({ status: 200, type: HardwareTokenListDto })
  @ApiResponse(E401)
  @ApiResponse({ status: 403, description: 'staff_only, staff_role_required (operator)' })
  async list(
    @CurrentStaff(['operator']) _staff: StaffPrincipal,
  ): Promise<{ items: HardwareTokenResponse[] }> {
    const rows = await this.mfa.listHardwareTokens();
    return {
      items: rows.map(({ token, bound }) => ({
        serial: token.serial,
        registeredAt: token.registeredAt.toISOString(),
        bound,
      })),
    };
  }
}
