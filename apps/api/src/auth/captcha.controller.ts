import { Controller, Get, HttpCode, Inject, Module, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '../../../../libs/domain/src/errors';
import { CAPTCHA, type Captcha } from '../../../../libs/integrations/src/captcha/captcha.port';
import { SandboxCaptcha } from '../../../../libs/integrations/src/captcha/sandbox-captcha';
import { Public } from './principal';
import { CaptchaChallengeDto } from './sessions.dto';

@ApiTags('sessions')
@Public()
@Controller('captcha')
export class CaptchaController {
  constructor(@Inject(CAPTCHA) private readonly captcha: Captcha) {}

  @Post('challenges')
  @HttpCode(201)
  @ApiOperation({ summary: 'A captcha challenge for a sign-in that needs one (CON-2)' })
  @ApiResponse({ status: 201, type: CaptchaChallengeDto })
  async issue(): Promise<{ challengeId: string; expiresAt: string; prompt: string }> {
    const c = await this.captcha.issue();
    return { challengeId: c.challengeId, expiresAt: c.expiresAt.toISOString(), prompt: c.prompt };
  }
}

/** Mounted with SANDBOX_ROUTES only: what a person would read off the captcha image. */
@ApiTags('sandbox (outside world)')
@Public()
@Controller('sandbox/captcha')
class SandboxCaptchaController {
  constructor(@Inject(SandboxCaptcha) private readonly captcha: SandboxCaptcha) {}

  @Get(':challengeId')
  @ApiOperation({
    summary: "The sandbox captcha's answer to a live challenge (stands in for reading the image)",
  })
  @ApiResponse({ status: 200, description: '{ answer }' })
  @ApiResponse({ status: 404, description: 'Unknown, used or expired challenge' })
  async answer(@Param('challengeId') challengeId: string): Promise<{ answer: string }> {
    const answer = await this.captcha.answerOf(challengeId);
    if (!answer) throw new NotFoundError('Captcha challenge');
    return { answer };
  }
}

@Module({ controllers: [SandboxCaptchaController] })
export class SandboxCaptchaModule {}
