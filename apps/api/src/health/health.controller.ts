import { Controller, Get, Module } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/core';
import { Client } from '@temporalio/client';
import { Public } from '../auth/principal';

@ApiTags('health')
@Public()
@Controller('health')
class HealthController {
  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and readiness: database and Temporal reachable' })
  async check(): Promise<{ status: 'ok'; database: 'ok'; temporal: 'ok' }> {
    await this.em.getConnection().execute('select 1');
    await this.temporal.workflowService.getSystemInfo({});
    return { status: 'ok', database: 'ok', temporal: 'ok' };
  }
}

@Module({ controllers: [HealthController] })
export class HealthModule {}
