/**
 * Domain errors. Thrown by services and activities; mapped to HTTP at the API edge by one
 * exception filter and to non-retryable ApplicationFailures (type = error name) in activities.
 */
export type DomainErrorKind =
  | 'validation' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'rule_violation' // 422
  | 'locked' // 423
  | 'too_large' // 413
  | 'unsupported_media_type' // 415
  | 'rate_limited' // 429
  | 'integrity' // 500
  | 'unavailable'; // 503

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** Stable machine-readable code, e.g. `deposit.amount_malformed`. */
  readonly code: string;
  /** Extra facts for the client (never secrets). */
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
    this.name = new.target.name;
  }
}

/** Bad input. `field` names the offending field (dotted path). */
export class ValidationError extends DomainError {
  readonly kind = 'validation' as const;
  constructor(
    readonly field: string,
    message: string,
    code = 'validation_failed',
    details?: Record<string, unknown>,
  ) {
    super(code, message, { field, ...details });
  }
}

export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated' as const;
  constructor(
    message = 'Authentication required',
    code = 'unauthenticated',
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden' as const;
  constructor(message = 'Not allowed', code = 'forbidden', details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  constructor(what: string, code = 'not_found', details?: Record<string, unknown>) {
    super(code, `${what} not found`, details);
  }
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict' as const;
}

/** A business rule refuses the request; `rule` is the ID from RULES.md. */
export class RuleViolationError extends DomainError {
  readonly kind = 'rule_violation' as const;
  constructor(
    readonly rule: string,
    code: string,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, { rule, ...details });
  }
}

/** Something sent is over a size or count limit; `details` name the item and the limit. */
export class PayloadTooLargeError extends DomainError {
  readonly kind = 'too_large' as const;
}

/** Something sent is of a type the route does not take (judged by its bytes, not its name). */
export class UnsupportedMediaTypeError extends DomainError {
  readonly kind = 'unsupported_media_type' as const;
}

/**
 * Stored data failed its integrity check (an authentication tag or a checksum): it is never
 * returned. A 500 at the API (the fault is ours, not the caller's); never retried by activities.
 */
export class IntegrityError extends DomainError {
  readonly kind = 'integrity' as const;
}

export class LockedError extends DomainError {
  readonly kind = 'locked' as const;
}

export class RateLimitedError extends DomainError {
  readonly kind = 'rate_limited' as const;
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many requests',
    code = 'rate_limited',
    details?: Record<string, unknown>,
  ) {
    super(code, message, { ...details, retryAfterSeconds });
  }
}

/**
 * An outside service the request needs (mail, SMS) is down for now; nothing was kept, and the
 * same request may be repeated after `retryAfterSeconds`.
 */
export class ServiceUnavailableError extends DomainError {
  readonly kind = 'unavailable' as const;
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
    code = 'service_unavailable',
    options?: { cause?: unknown },
  ) {
    super(code, message, { retryAfterSeconds });
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}
