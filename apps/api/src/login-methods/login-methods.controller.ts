import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiCodeSendResponses } from '../notifications/code-send.responses';
import { CurrentAccount, type OwnerPrincipal } from '../auth/principal';
import { RequiresStepUp } from '../auth/step-up.guard';
import { CodeSentResponseDto, type CodeSentResponse } from '../sign-up/sign-up.dto';
import {
  AssociateEmailDto,
  AssociateThirdPartyDto,
  LoginEmailCodeDto,
  LoginMethodResponseDto,
  type LoginMethodResponse,
} from './login-methods.dto';
import { toLoginMethodResponse } from './login-methods.mapper';
import { LoginMethodsService } from './login-methods.service';
import { RateLimited } from '../common/request-limits';

const AS1 =
  'AS-1 (rule_violation): identity_registered_account (it registered its own account — ACC-6/ACC-7), identity_associated_elsewhere, identity_is_sub_user';

@ApiTags('login methods')
@ApiBearerAuth()
@Controller('accounts/me/login-methods')
export class LoginMethodsController {
  constructor(private readonly service: LoginMethodsService) {}

  @Get()
  @ApiOperation({ summary: "The account's login methods: the registration one and the associated ones" })
  @ApiOkResponse({ type: [LoginMethodResponseDto] })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'owner_only: not an account owner session' })
  async list(@CurrentAccount() me: OwnerPrincipal): Promise<LoginMethodResponse[]> {
    return (await this.service.list(me.accountId)).map(toLoginMethodResponse);
  }

  @Post('email/codes')
  @RateLimited('code_send')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a code to an email address to associate it as a login method (AS-1)' })
  @ApiResponse({ status: 202, type: CodeSentResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid' })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'owner_only' })
  @ApiResponse({ status: 409, description: 'login_method_already_bound' })
  @ApiResponse({
    status: 422,
    description:
      'identity_is_sub_user (AS-1): the address has the shape of a sub-user login name. Whether another account holds the address is never told here (the code goes out either way): it is refused after the code, on POST …/email',
  })
  @ApiCodeSendResponses()
  async emailCode(
    @CurrentAccount() me: OwnerPrincipal,
    @Body() body: LoginEmailCodeDto,
  ): Promise<CodeSentResponse> {
    const sent = await this.service.sendEmailCode(me.accountId, body.email);
    return { expiresAt: sent.expiresAt.toISOString(), resendAfterSeconds: sent.resendAfterSeconds };
  }

  @Post('email')
  @RequiresStepUp()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Associate an email as an extra login method, with the code sent to it (AS-1, ACC-6)',
  })
  @ApiResponse({ status: 201, type: LoginMethodResponseDto })
  @ApiResponse({
    status: 400,
    description: 'A field is invalid; on `code`: code_invalid, code_expired, code_attempts_exhausted',
  })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'owner_only' })
  @ApiResponse({ status: 409, description: 'login_method_already_bound' })
  @ApiResponse({
    status: 422,
    description:
      'login_method_unavailable (AS-1): once the code is proven, one answer for every reason the address cannot be added (registered an account, a login method of another account, a sub-user); identity_is_sub_user for the shape of a sub-user login name',
  })
  async associateEmail(
    @CurrentAccount() me: OwnerPrincipal,
    @Body() body: AssociateEmailDto,
  ): Promise<LoginMethodResponse> {
    return toLoginMethodResponse(await this.service.associateEmail(me.accountId, body.email, body.code));
  }

  @Post('third-party')
  @RequiresStepUp()
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Associate QQ or WeChat as an extra login method (AS-1, ACC-7, ACC-8). One WeChat identity may be associated with several accounts.',
  })
  @ApiResponse({ status: 201, type: LoginMethodResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid' })
  @ApiResponse({ status: 401, description: 'No valid session; or identity_assertion_invalid' })
  @ApiResponse({ status: 403, description: 'owner_only' })
  @ApiResponse({ status: 409, description: 'login_method_already_bound' })
  @ApiResponse({ status: 422, description: AS1 })
  async associateThirdParty(
    @CurrentAccount() me: OwnerPrincipal,
    @Body() body: AssociateThirdPartyDto,
  ): Promise<LoginMethodResponse> {
    return toLoginMethodResponse(
      await this.service.associateThirdParty(me.accountId, body.provider, body.assertion),
    );
  }

  @Delete(':id')
  @RequiresStepUp()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Unbind an associated login method (AS-2). The registration email cannot be unbound.',
  })
  @ApiResponse({ status: 204, description: 'Unbound' })
  @ApiResponse({ status: 401, description: 'No valid session' })
  @ApiResponse({ status: 403, description: 'owner_only' })
  @ApiResponse({
    status: 404,
    description: "No such login method on this account (another account's is a 404 too)",
  })
  @ApiResponse({ status: 422, description: 'AS-2 registration_login_method' })
  async unbind(@CurrentAccount() me: OwnerPrincipal, @Param('id') id: string): Promise<void> {
    await this.service.unbind(me.accountId, id);
  }
}
