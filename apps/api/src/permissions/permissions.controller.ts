import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createZodDto } from '../common/zod';
import { z } from 'zod';
import { PERMISSION_DESCRIPTIONS, PERMISSIONS } from '../../../../libs/domain/src/permissions';
import { ActingAccount, RequireMembership } from './permissions.decorators';
import type { Acting } from './permissions.types';

const actingResponseSchema = z.object({
  accountId: z.number().int().describe('The root account the request acts inside'),
  actor: z.enum(['owner', 'sub_user', 'collaborator']),
  permissions: z.array(z.string()),
  catalog: z.array(z.object({ name: z.string(), description: z.string() })),
});
type ActingResponse = z.infer<typeof actingResponseSchema>;
class ActingResponseDto extends createZodDto(actingResponseSchema) {}

@ApiTags('permissions')
@Controller('acting-account')
export class PermissionsController {
  @Get()
  @RequireMembership()
  @ApiOperation({
    summary: 'The account this request acts inside, as whom, and with which permissions (ACC-9)',
  })
  @ApiResponse({ status: 200, type: ActingResponseDto })
  current(@ActingAccount() acting: Acting): ActingResponse {
    return {
      accountId: acting.accountId,
      actor: acting.actor.kind,
      permissions: PERMISSIONS.filter((p) => acting.permissions.has(p)),
      catalog: PERMISSIONS.map((name) => ({ name, description: PERMISSION_DESCRIPTIONS[name] })),
    };
  }
}
