import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Module,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppealsModule } from '../appeals/appeals.module';
import { CancellationModule } from '../cancellation/cancellation.module';
import type { StaffPrincipal } from '../auth/principal';
import { CurrentStaff, StaffOnly } from '../auth/staff-principal';
import { ApiQueryFrom, parseOr400 } from '../common/zod';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeySchema } from '../verifications/deposit-verifications.dto';
import {
  CaseViewDto,
  CommentDto,
  DecideDto,
  listTasksQuerySchema,
  QueueCountsDto,
  ReassignDto,
  RequestInformationDto,
  TaskPageDto,
  TaskSummaryDto,
  type CaseView,
  type TaskSummary,
} from './review.dto';
import { ReviewService } from './review.service';

const IdempotencyKey = (): MethodDecorator =>
  ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description:
      'Sent again on a retry (e.g. after a timeout), the same action is applied once and answered again',
  });

const key = (value: string | undefined): string | undefined =>
  value === undefined ? undefined : parseOr400(idempotencyKeySchema, value, IDEMPOTENCY_KEY_HEADER);

/**
 * The reviewer inbox (issue 9 §1): reviewers, senior reviewers and operators work human tasks.
 * Every action is a Workflow Update whose validator refuses, before history, what the task's
 * state or the caller's role does not allow.
 */
@ApiTags('review inbox')
@StaffOnly()
@ApiResponse({ status: 401, description: 'No valid staff session' })
@ApiResponse({ status: 403, description: 'staff_only: an account session' })
@Controller('staff/review-tasks')
export class ReviewController {
  constructor(private readonly review: ReviewService) {}

  @Get()
  @ApiOperation({
    summary: 'The inbox: tasks filtered and sorted, one keyset page at a time',
    description: 'Without `status`, the open tasks. `nextCursor` gives the next page of the same query.',
  })
  @ApiQueryFrom(listTasksQuerySchema)
  @ApiResponse({ status: 200, type: TaskPageDto })
  @ApiResponse({ status: 400, description: 'A query parameter is invalid; `error.field` names it' })
  async list(@CurrentStaff() staff: StaffPrincipal, @Query() query: unknown): Promise<TaskPageDto> {
    return this.review.list(staff, parseOr400(listTasksQuerySchema, query));
  }

  @Get('counts')
  @ApiOperation({ summary: 'Open tasks per queue: all, unassigned, overdue and mine' })
  @ApiResponse({ status: 200, type: QueueCountsDto })
  async counts(@CurrentStaff() staff: StaffPrincipal): Promise<QueueCountsDto> {
    return { queues: await this.review.counts(staff) };
  }

  @Get(':taskId')
  @ApiOperation({
    summary:
      'The case view: what the applicant sent (masked), documents, checks, the audit trail, what I may do',
  })
  @ApiResponse({ status: 200, type: CaseViewDto })
  @ApiResponse({ status: 404, description: 'No such task' })
  async view(@CurrentStaff() staff: StaffPrincipal, @Param('taskId') taskId: string): Promise<CaseView> {
    return this.review.view(staff, taskId);
  }

  @Post(':taskId/claim')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Claim the task: of two concurrent claims exactly one wins' })
  @ApiResponse({ status: 200, type: TaskSummaryDto })
  @ApiResponse({ status: 403, description: 'queue_not_allowed; second_approval_same_reviewer (four eyes)' })
  @ApiResponse({ status: 404, description: 'No such task' })
  @ApiResponse({ status: 409, description: 'task_already_claimed, task_not_open' })
  @ApiResponse({ status: 503, description: 'review_unavailable: send the same request again (Retry-After)' })
  async claim(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('taskId') taskId: string,
    @Headers(IDEMPOTENCY_KEY_HEADER) idem: string | undefined,
  ): Promise<TaskSummary> {
    return this.review.claim(staff, taskId, key(idem));
  }

  @Post(':taskId/release')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Release a task I claimed, back to its queue' })
  @ApiResponse({ status: 200, type: TaskSummaryDto })
  @ApiResponse({ status: 404, description: 'No such task' })
  @ApiResponse({ status: 409, description: 'task_not_claimed_by_you, task_not_open' })
  @ApiResponse({ status: 503, description: 'review_unavailable: send the same request again (Retry-After)' })
  async release(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('taskId') taskId: string,
    @Headers(IDEMPOTENCY_KEY_HEADER) idem: string | undefined,
  ): Promise<TaskSummary> {
    return this.review.release(staff, taskId, key(idem));
  }

  @Post(':taskId/reassign')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({
    summary: 'Give the task to another staff member, or back to its queue (senior reviewers, operators)',
  })
  @ApiResponse({ status: 200, type: TaskSummaryDto })
  @ApiResponse({ status: 400, description: 'assigneeId: no such active staff member' })
  @ApiResponse({
    status: 403,
    description: 'role_not_allowed (reviewers do not reassign), second_approval_same_reviewer',
  })
  @ApiResponse({ status: 404, description: 'No such task' })
  @ApiResponse({
    status: 409,
    description: 'reassign_target_not_allowed (cannot work the queue), task_not_open',
  })
  @ApiResponse({ status: 503, description: 'review_unavailable: send the same request again (Retry-After)' })
  async reassign(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('taskId') taskId: string,
    @Body() body: ReassignDto,
    @Headers(IDEMPOTENCY_KEY_HEADER) idem: string | undefined,
  ): Promise<TaskSummary> {
    return this.review.reassign(staff, taskId, body.assigneeId, key(idem));
  }

  @Post(':taskId/comments')
  @HttpCode(201)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Comment on the case (the audit trail; the applicant does not see it)' })
  @ApiResponse({ status: 201, type: CaseViewDto })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({ status: 403, description: 'task_not_open' })
  @ApiResponse({ status: 404, description: 'No such task' })
  async comment(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('taskId') taskId: string,
    @Body() body: CommentDto,
    @Headers(IDEMPOTENCY_KEY_HEADER) idem: string | undefined,
  ): Promise<CaseView> {
    return this.review.comment(staff, taskId, body.body, key(idem));
  }

  @Post(':taskId/information-requests')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({
    summary:
      'Ask the applicant for more information; without an answer in 7 days the case closes as abandoned',
  })
  @ApiResponse({ status: 200, type: TaskSummaryDto })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({ status: 404, description: 'No such task' })
  @ApiResponse({ status: 409, description: 'task_not_claimed_by_you, information_requested, task_not_open' })
  @ApiResponse({ status: 503, description: 'review_unavailable: send the same request again (Retry-After)' })
  async requestInformation(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('taskId') taskId: string,
    @Body() body: RequestInformationDto,
    @Headers(IDEMPOTENCY_KEY_HEADER) idem: string | undefined,
  ): Promise<TaskSummary> {
    return this.review.requestInformation(staff, taskId, body.message, key(idem));
  }

  @Post(':taskId/decision')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({
    summary:
      'Decide: approve or reject with a reason code; an approval needs a second senior reviewer (four eyes)',
  })
  @ApiResponse({ status: 200, type: TaskSummaryDto })
  @ApiResponse({ status: 400, description: 'A field is invalid; `error.field` names it' })
  @ApiResponse({ status: 403, description: 'queue_not_allowed, second_approval_same_reviewer' })
  @ApiResponse({ status: 404, description: 'No such task' })
  @ApiResponse({
    status: 409,
    description: 'task_not_claimed_by_you, reason_not_allowed, information_requested, task_not_open',
  })
  @ApiResponse({ status: 503, description: 'review_unavailable: send the same request again (Retry-After)' })
  async decide(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('taskId') taskId: string,
    @Body() body: DecideDto,
    @Headers(IDEMPOTENCY_KEY_HEADER) idem: string | undefined,
  ): Promise<TaskSummary> {
    return this.review.decide(staff, taskId, body, key(idem));
  }

  @Get(':taskId/documents/:documentId')
  @ApiOperation({
    summary: 'A document of the case (the assignee, senior reviewers, operators); every read is audited',
  })
  @ApiResponse({ status: 200, description: 'The document’s bytes, with its content type' })
  @ApiResponse({
    status: 403,
    description: 'not_working_case: a reviewer reads documents of tasks they claimed',
  })
  @ApiResponse({ status: 404, description: 'No such task or document' })
  async document(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('taskId') taskId: string,
    @Param('documentId') documentId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { meta, bytes } = await this.review.readDocument(staff, taskId, documentId);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(bytes, { type: meta.contentType, disposition: 'inline', length: bytes.length });
  }
}

@Module({
  imports: [AppealsModule, CancellationModule],
  controllers: [ReviewController],
  providers: [ReviewService],
})
export class ReviewModule {}
