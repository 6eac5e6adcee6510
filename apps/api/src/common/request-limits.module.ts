import { Global, Module } from '@nestjs/common';
import { RequestLimitGuard, RequestLimiter } from './request-limits';

/** The request limits every feature's `@RateLimited(…)` endpoints share. */
@Global()
@Module({ providers: [RequestLimiter, RequestLimitGuard], exports: [RequestLimiter, RequestLimitGuard] })
export class RequestLimitsModule {}
