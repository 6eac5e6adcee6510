import { Body, Controller, Delete, HttpCode, Inject, Module, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { Public } from '../auth/principal';
import { StaffOnly } from '../auth/staff-principal';
import { StaffSessionsService } from '../staff/staff-sessions.service';
import { parseOr400 } from '../common/zod';
import {
  codecBodySchema,
  CodecPayloadsDto,
  CodecSessionDto,
  type CodecBody,
  type CodecSession,
} from './temporal-codec.dto';
import { CODEC_COOKIE, CODEC_PATH, TemporalCodecService } from './temporal-codec.service';

/**
 * The codec server of the Temporal Web UI and CLI (issue 12), in the API process: it needs the
 * staff sessions, the audit table and the key ring the API already has, and one process less to
 * deploy and secure. `/decode` and `/encode` follow Temporal's remote codec protocol.
 */
@ApiTags('temporal-codec')
@StaffOnly('operator')
@Controller('temporal-codec')
export class TemporalCodecController {
  constructor(
    private readonly codec: TemporalCodecService,
    private readonly staffSessions: StaffSessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('session')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Codec cookie: hands the operator’s staff session to the browser for the Temporal Web UI',
    description:
      'The Web UI cannot send a staff bearer token to a codec server (it passes only its own SSO token); ' +
      'it can send cookies (`includeCredentials`). This sets an HttpOnly, SameSite=Strict cookie scoped to ' +
      '/temporal-codec holding this staff session, until the session ends.',
  })
  @ApiResponse({ status: 201, type: CodecSessionDto })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'staff_only, or staff_role_required (operators only)' })
  async openSession(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CodecSession> {
    const token = req.header('authorization')!.match(/^Bearer\s+(\S+)$/i)![1];
    const session = (await this.staffSessions.resolve(token))!;
    res.cookie(CODEC_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.mode === 'production',
      path: CODEC_PATH,
      expires: session.expiresAt,
    });
    return { expiresAt: session.expiresAt.toISOString() };
  }

  @Delete('session')
  @HttpCode(204)
  @ApiOperation({ summary: 'Removes the codec cookie from this browser' })
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'staff_only, or staff_role_required (operators only)' })
  closeSession(@Res({ passthrough: true }) res: Response): void {
    res.clearCookie(CODEC_COOKIE, { path: CODEC_PATH });
  }

  @Public()
  @Post('decode')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Remote codec: decodes payloads (operators only, each decode audited)',
    description:
      'Temporal remote codec protocol. Authentication: the staff bearer token of an operator, or the codec ' +
      'cookie. `X-Namespace` must name the configured namespace; `X-Workflow-Id` / `X-Run-Id` name the ' +
      'workflow for the audit. Plain payloads come back as they are.',
  })
  @ApiResponse({ status: 200, type: CodecPayloadsDto })
  @ApiResponse({
    status: 400,
    description: 'A field is invalid, or payload_undecodable (a key not in the ring)',
  })
  @ApiResponse({ status: 401, description: 'session_required or session_invalid' })
  @ApiResponse({ status: 403, description: 'staff_only (an account session) or staff_role_required' })
  @ApiResponse({ status: 404, description: 'namespace_unknown' })
  @ApiBody({ type: CodecPayloadsDto })
  async decode(@Body() raw: unknown, @Req() req: Request): Promise<CodecBody> {
    // Who asks is settled before what they sent: a caller without an operator's session learns
    // nothing about the body's rules (401/403 before any 400).
    const who = await this.codec.operator(req);
    return this.codec.decode(parseOr400(codecBodySchema, raw), req, who);
  }

  @Public()
  @Post('encode')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remote codec: encodes payloads under the current key (operators only)' })
  @ApiResponse({ status: 200, type: CodecPayloadsDto })
  @ApiResponse({ status: 401, description: 'session_required or session_invalid' })
  @ApiResponse({ status: 403, description: 'staff_only (an account session) or staff_role_required' })
  @ApiResponse({ status: 404, description: 'namespace_unknown' })
  @ApiBody({ type: CodecPayloadsDto })
  async encode(@Body() raw: unknown, @Req() req: Request): Promise<CodecBody> {
    await this.codec.operator(req);
    return this.codec.encode(parseOr400(codecBodySchema, raw), req);
  }
}

@Module({ controllers: [TemporalCodecController], providers: [TemporalCodecService] })
export class TemporalCodecModule {}
