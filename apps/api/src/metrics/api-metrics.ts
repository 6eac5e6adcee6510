import type { INestApplication } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import { OPEN_TASK_STATUSES, REVIEW_QUEUES } from '../../../../libs/domain/src/review';
import type { Logger } from '../../../../libs/observability/src/logger';
import type { CorrelatedRequest } from '../common/correlation';

/** The route's pattern (`/appeals/:caseId`), never the path itself: one series per route. */
function routeOf(req: Request): string {
  const route: unknown = (req as { route?: unknown }).route;
  const path: unknown =
    typeof route === 'object' && route !== null ? (route as { path?: unknown }).path : undefined;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

/**
 * The API's Prometheus metrics, served at GET /metrics: requests (errors: the 5xx statuses) and
 * duration by route,
 * the notification outbox's backlog and oldest pending age, and the reviewer queues' open human
 * tasks and SLA breaches (read from the database at each scrape). One registry per application,
 * so several applications in one process (tests) do not mix.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
  ) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'account_center_http_requests_total',
      // Errors are the 5xx series of this one: rate(…{status=~"5.."}) by route.
      help: 'HTTP requests answered, by method, route pattern and status (5xx: unexpected failures)',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'account_center_http_request_duration_seconds',
      help: 'Time from receiving a request to finishing its answer, by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    // Read from the database at each scrape.
    const pending: Gauge = new Gauge({
      name: 'account_center_outbox_pending',
      help: 'Security notices waiting in the notification outbox (backlog)',
      registers,
      collect: async () => pending.set((await this.outbox()).pending),
    });
    const oldest: Gauge = new Gauge({
      name: 'account_center_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest notice still pending in the notification outbox (0 when empty)',
      registers,
      collect: async () => oldest.set((await this.outbox()).oldestAgeSeconds),
    });
    const open: Gauge<'queue'> = new Gauge({
      name: 'account_center_review_tasks_open',
      help: 'Open human tasks (open, information requested, awaiting a second approval), by queue',
      labelNames: ['queue'],
      registers,
      collect: async () => {
        const byQueue = await this.reviewTasks();
        for (const queue of REVIEW_QUEUES) open.set({ queue }, byQueue.get(queue)?.open ?? 0);
      },
    });
    const breached: Gauge<'queue'> = new Gauge({
      name: 'account_center_review_tasks_sla_breached',
      help: 'Open human tasks past their due time (SLA breached), by queue',
      labelNames: ['queue'],
      registers,
      collect: async () => {
        const byQueue = await this.reviewTasks();
        for (const queue of REVIEW_QUEUES) breached.set({ queue }, byQueue.get(queue)?.breached ?? 0);
      },
    });
  }

  /** Express middleware: counts and times every answer once it is finished. */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const end = this.duration.startTimer();
    res.once('finish', () => {
      const labels = { method: req.method, route: routeOf(req), status: String(res.statusCode) };
      end(labels);
      this.requests.inc(labels);
    });
    next();
  };

  /** GET /metrics, in Prometheus's text format. */
  readonly handler = (_req: Request, res: Response, next: NextFunction): void => {
    this.registry
      .metrics()
      .then((text) => {
        res.setHeader('content-type', this.registry.contentType);
        res.send(text);
      })
      .catch(next);
  };

  private async outbox(): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const rows = (await this.orm.em
      .getConnection()
      .execute(
        `select count(*) as pending, min(created_at) as oldest from notification_outbox where status = 'pending'`,
      )) as Array<{ pending: string | number; oldest: Date | string | null }>;
    const row = rows[0];
    const oldest = row?.oldest ? new Date(row.oldest) : undefined;
    return {
      pending: Number(row?.pending ?? 0),
      oldestAgeSeconds: oldest ? Math.max(0, (this.clock.now().getTime() - oldest.getTime()) / 1000) : 0,
    };
  }

  private async reviewTasks(): Promise<Map<string, { open: number; breached: number }>> {
    const rows = (await this.orm.em.getConnection().execute(
      `select queue, count(*) as open, count(*) filter (where due_at < ?) as breached
         from review_tasks where status in (${OPEN_TASK_STATUSES.map(() => '?').join(', ')}) group by queue`,
      [this.clock.now(), ...OPEN_TASK_STATUSES],
    )) as Array<{ queue: string; open: string | number; breached: string | number }>;
    return new Map(rows.map((r) => [r.queue, { open: Number(r.open), breached: Number(r.breached) }]));
  }
}

/**
 * One line per answered request (method, route, status, duration, correlationId): the first
 * line `grep <correlationId>` finds.
 */
export function requestLogMiddleware(logger: Logger) {
  return (req: CorrelatedRequest, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const status = res.statusCode;
      const line = {
        correlationId: req.correlationId,
        method: req.method,
        route: routeOf(req),
        path: req.path,
        status,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      };
      if (status >= 500) logger.error(line, 'request failed');
      else if (status >= 400) logger.warn(line, 'request refused');
      else logger.info(line, 'request completed');
    });
    next();
  };
}

export function createApiMetrics(app: INestApplication): ApiMetrics {
  return new ApiMetrics(app.get(MikroORM), app.get<symbol, Clock>(CLOCK));
}
