import { Controller, Get, Module } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/core';
import { Client } from '@temporalio/client';
import { ServiceUnavailableError } from '../../../../libs/domain/src/errors';
import { Public } from '../auth/principal';

/** How long readiness waits for Temporal before it says "not ready". */
const TEMPORAL_CHECK_MS = 2_000;
const LIVE = Object.freeze({ status: 'ok' as const });
const READY_DESCRIPTION = '{"status":"ok","database":"ok","temporal":"ok"}: both are reachable';

/**
 * Liveness and readiness (issue 12 §5). `/health/live` touches nothing: it says the process
 * answers HTTP, so an orchestrator restarts only a process that hangs. `/health/ready` checks the
 * database and Temporal, so a load balancer sends traffic only to an API that can serve it.
 * `/health` is the readiness check under its old name, for what already calls it.
 */
@ApiTags('health')
@Public()
@Controller('health')
class HealthController {
  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers; no dependency is checked' })
  @ApiOkResponse({ description: '{"status":"ok"}: the process serves HTTP' })
  live(): { status: 'ok' } {
    return LIVE;
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: the database and Temporal are reachable (503 naming the one that is not)',
  })
  @ApiOkResponse({ description: READY_DESCRIPTION })
  @ApiResponse({ status: 503, description: 'service_unavailable: the database or Temporal is not reachable' })
  ready(): Promise<Readiness> {
    return this.readiness();
  }

  @Get()
  @ApiOperation({ summary: 'Readiness under its old name (the same as /health/ready)' })
  @ApiOkResponse({ description: READY_DESCRIPTION })
  @ApiResponse({ status: 503, description: 'service_unavailable: the database or Temporal is not reachable' })
  check(): Promise<Readiness> {
    return this.readiness();
  }

  private async readiness(): Promise<Readiness> {
    const [database, temporal] = await Promise.all([
      this.em
        .getConnection()
        .execute('select 1')
        .then(() => true)
        .catch(() => false),
      this.temporal
        .withDeadline(Date.now() + TEMPORAL_CHECK_MS, () => this.temporal.workflowService.getSystemInfo({}))
        .then(() => true)
        .catch(() => false),
    ]);
    if (!database || !temporal) {
      const down = [!database && 'the database', !temporal && 'Temporal'].filter(Boolean).join(' and ');
      throw new ServiceUnavailableError(1, `Not ready: ${down} cannot be reached`, 'not_ready');
    }
    return { status: 'ok', database: 'ok', temporal: 'ok' };
  }
}

interface Readiness {
  status: 'ok';
  database: 'ok';
  temporal: 'ok';
}

@Module({ controllers: [HealthController] })
export class HealthModule {}
