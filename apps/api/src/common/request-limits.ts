import {
  Inject,
  Injectable,
  SetMetadata,
  UseGuards,
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiResponse } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/core';
import type { Request } from 'express';
import type { AppConfig, RequestLimitName } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { CLOCK, MINUTE_MS, type Clock } from '../../../../libs/domain/src/clock';
import { RateLimitedError } from '../../../../libs/domain/src/errors';

const WINDOW_MS = MINUTE_MS;
const LIMIT_NAME = Symbol('request-limit');

/**
 * Per-client-address and global request limits (sign-in, code sending, sign-up), each a count per
 * fixed one-minute window in `rate_limit_windows`. The count is taken first — one atomic
 * insert-or-increment that returns the new value — and compared after, so parallel requests can
 * never slip past it; a request over the limit stays counted and is answered 429 with
 * Retry-After (the end of the window). The client's address is Express's `req.ip`, which believes
 * X-Forwarded-For only from the proxies API_TRUST_PROXY names.
 */
@Injectable()
export class RequestLimiter {
  constructor(
    private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Counts one request of `clientKey` in `bucket`; throws 429 past `limit` in this window. */
  async take(bucket: string, clientKey: string, limit: number): Promise<void> {
    const now = this.clock.now().getTime();
    const windowStart = new Date(now - (now % WINDOW_MS));
    const result: unknown = await this.em
      .fork()
      .getConnection()
      .execute(
        'insert into rate_limit_windows (bucket, client_key, window_start, count) values (?, ?, ?, 1) ' +
          'on conflict (bucket, client_key, window_start) do update set count = rate_limit_windows.count + 1 ' +
          'returning count',
        [bucket, clientKey.slice(0, 128), windowStart],
      );
    const count = Number((result as Array<{ count: number | string }>)[0]?.count ?? 0);
    if (count <= limit) return;
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + WINDOW_MS - now) / 1000));
    throw new RateLimitedError(retryAfterSeconds, 'Too many requests; try again later');
  }
}

@Injectable()
export class RequestLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RequestLimiter,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const name = this.reflector.get<RequestLimitName | undefined>(LIMIT_NAME, ctx.getHandler());
    if (!name) return true;
    const limits = this.config.rateLimits[name];
    const req = ctx.switchToHttp().getRequest<Request>();
    // The client's own limit first: one noisy client does not use up everyone's.
    await this.limiter.take(`${name}:client`, req.ip ?? 'unknown', limits.perClient);
    await this.limiter.take(`${name}:all`, '*', limits.global);
    return true;
  }
}

/** Applies the per-client-address and global limits of `name` (429 with Retry-After past them). */
export const RateLimited = (name: RequestLimitName): MethodDecorator =>
  applyDecorators(
    SetMetadata(LIMIT_NAME, name),
    UseGuards(RequestLimitGuard),
    ApiResponse({
      status: 429,
      description: `rate_limited: too many ${name.replace('_', ' ')} requests from this address or from everyone this minute; Retry-After says when to try again`,
    }),
  );
