import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ActingAccount, RequirePermission } from '../permissions/permissions.decorators';
import type { Acting } from '../permissions/permissions.types';
import { MessageReceiversService } from './message-receivers.service';
import {
  CreateMessageReceiverDto,
  MessageReceiverResponseDto,
  type MessageReceiverResponse,
} from './users.dto';
import { toMessageReceiverResponse } from './users.mapper';

@ApiTags('users: message receivers')
@Controller('message-receivers')
export class MessageReceiversController {
  constructor(private readonly receivers: MessageReceiversService) {}

  @Post()
  @HttpCode(201)
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'Add a message receiver: a name and an email and/or phone, no sign-in (ACC-9)' })
  @ApiResponse({ status: 201, type: MessageReceiverResponseDto })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({
    status: 409,
    description: 'cancellation_in_progress (CAN-1, with applicationId): a cancellation application is open',
  })
  async create(
    @ActingAccount() acting: Acting,
    @Body() body: CreateMessageReceiverDto,
  ): Promise<MessageReceiverResponse> {
    return toMessageReceiverResponse(await this.receivers.create(acting, body));
  }

  @Get()
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'Message receivers of the account' })
  @ApiResponse({ status: 200, type: [MessageReceiverResponseDto] })
  async list(@ActingAccount() acting: Acting): Promise<MessageReceiverResponse[]> {
    return (await this.receivers.list(acting)).map(toMessageReceiverResponse);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'Delete a message receiver' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  async delete(@ActingAccount() acting: Acting, @Param('id') id: string): Promise<void> {
    await this.receivers.delete(acting, id);
  }
}
