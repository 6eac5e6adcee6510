import { z } from 'zod';
import { REVIEW_KINDS, type ReviewKind } from '../../domain/src/review';
import { keyRing, type PayloadKeyRing } from '../../temporal/src/payload-codec';

/**
 * The one place that reads `process.env`. Every process (API, worker, CLI, tests) calls
 * `loadConfig()` once at start-up and passes the typed result down; a bad value stops the
 * process with a message naming the variable.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

const port = z.coerce.number().int().min(1).max(65535);

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const PROXY_ADDRESS = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:.]*:[0-9a-f:.]*)(?:\/\d{1,3})?$/i;
/** Express's `trust proxy`: false, a hop count, or named/addressed proxies (never a blanket `true`). */
const trustProxy = z
  .string()
  .trim()
  .transform((v, ctx): false | number | string[] => {
    if (v === 'false') return false;
    if (/^\d+$/.test(v)) return Number(v);
    const parts = v.split(',').map((x) => x.trim());
    const bad = parts.filter((x) => !PROXY_NAMES.has(x) && !PROXY_ADDRESS.test(x));
    if (bad.length > 0 || parts.length === 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `expected false, a hop count, or addresses/CIDR ranges/loopback/linklocal/uniquelocal; got ${bad.join(', ') || 'nothing'}`,
      });
      return z.NEVER;
    }
    return parts;
  });

/** A 32-byte key given as hex (64 characters) or base64 (44 characters), or null. */
export function decodeKey32(value: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/]{43}=$/.test(value)) {
    const b = Buffer.from(value, 'base64');
    return b.length === 32 ? b : null;
  }
  return null;
}

/** The development payload key (local mode only): `local-1=<this>` is TEMPORAL_PAYLOAD_KEYS' default. */
const DEVELOPMENT_PAYLOAD_KEY = 'bG9jYWwtZGV2LXRlbXBvcmFsLXBheWxvYWQta2V5LTE=';

/**
 * The payload key ring, `id=key` pairs separated by commas (first: the current key), or the
 * issues that make it unusable.
 */
export function parsePayloadKeys(value: string): { ring: PayloadKeyRing } | { issues: string[] } {
  const issues: string[] = [];
  const entries: Array<[string, Buffer]> = [];
  for (const pair of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = pair.indexOf('=');
    const id = at > 0 ? pair.slice(0, at).trim() : '';
    const key = at > 0 ? decodeKey32(pair.slice(at + 1).trim()) : null;
    if (!id || !key) {
      issues.push(`"${id || pair.slice(0, 8)}…" is not id=key with a 32-byte key as base64 or hex`);
      continue;
    }
    entries.push([id, key]);
  }
  if (issues.length > 0) return { issues };
  try {
    return { ring: keyRing(entries) };
  } catch (err) {
    return { issues: [(err as Error).message] };
  }
}

/**
 * Development defaults of the secrets, and other values known from this repository (scripts,
 * docs): outside local mode each is refused by value, whether it came from the default or was
 * set by hand.
 */
export const DEVELOPMENT_SECRET_VALUES: ReadonlySet<string> = new Set([
  'bG9jYWwtZGV2LW1mYS1lbmNyeXB0aW9uLWtleS0zMmI=',
  'bG9jYWwtZGV2LWRhdGEtZW5jcnlwdGlvbi1rZXktMzI=',
  'local-dev-verification-code-secret',
  'local-dev-identity-sandbox-secret',
  'local-dev-bank-webhook-secret',
  'local-dev-face-webhook-secret',
  'local-sandbox-admin-token',
  DEVELOPMENT_PAYLOAD_KEY,
]);

/** Secrets production must set to values of its own (fail closed: missing or development stops it). */
export const PRODUCTION_SECRETS = [
  'MFA_ENCRYPTION_KEY',
  'DATA_ENCRYPTION_KEY',
  'VERIFICATION_CODE_SECRET',
  'IDENTITY_SANDBOX_SECRET',
  'BANK_WEBHOOK_SECRET',
  'FACE_WEBHOOK_SECRET',
  'TEMPORAL_PAYLOAD_KEYS',
] as const;

/** Switches that expose sandbox stand-ins to anyone: never on outside local mode. */
export const SANDBOX_SWITCHES = ['SANDBOX_ROUTES', 'SANDBOX_ADMIN_API'] as const;

export const configSchema = z
  .object({
    /**
     * `local` (development defaults allowed) or `production`. NODE_ENV=production means
     * production whatever this says. Outside local mode a missing or development secret, or a
     * sandbox switch, stops the process naming the variable.
     */
    APP_MODE: z.enum(['local', 'production']).default('local'),
    /** `production` puts the process in production mode (see APP_MODE); other values change nothing. */
    NODE_ENV: z.string().optional(),

    /** Most verbose log level printed: error, warn, log, debug, verbose. */
    LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
    /**
     * `json` (one JSON object a line: level, time, service, msg, correlationId) or `pretty`
     * (human-readable, local only: production refuses it). Default: pretty locally, json in production.
     */
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    /**
     * host:port where the worker serves the Temporal SDK's Prometheus metrics (task slots,
     * schedule-to-start latency, sticky cache) at /metrics, e.g. 0.0.0.0:9464. Unset: not served.
     */
    WORKER_METRICS_ADDRESS: z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port')
      .optional(),
    /**
     * Seconds a stopping worker (SIGTERM) gives its in-flight activities to finish before they are
     * cancelled (Temporal's shutdownGraceTime).
     */
    WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    /**
     * Workflows a worker keeps cached in memory (Temporal's maxCachedWorkflows); the others are
     * replayed from their history on their next task. Our workflows wait days between events
     * (a payout lands after a business day, people answer in their own time), so a cached one is
     * rarely used again soon, and a replay of its short history costs milliseconds; each costs
     * about 0.35 MB of worker memory (2.5 MB with tracing on). 100 keeps a worker holding 10,000
     * open verifications under 300 MB (`npm run bench`); raise it for workflows that talk often.
     */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2).max(100_000).default(100),
    /**
     * The workflow bundle that `npm run build` writes (dist/workflow-bundle.js): the worker loads
     * it instead of bundling workflows/ at start. Required in production mode. With tracing on
     * (OTEL_EXPORTER_OTLP_ENDPOINT) the worker loads the one beside it with the tracing
     * interceptors (dist/workflow-bundle.traced.js), which costs about 2 MB more per cached workflow.
     */
    WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
    /**
     * OTLP/HTTP endpoint traces are exported to (e.g. http://jaeger:4318; `/v1/traces` is added):
     * spans of the HTTP layer, workflow starts, updates, workflows and activities. Unset: off.
     */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),

    /** Address the API binds (0.0.0.0 in a container). */
    API_HOST: z.string().min(1).default('127.0.0.1'),
    /** Port of the HTTP API (OpenAPI docs at /docs). */
    API_PORT: port.default(3000),
    /**
     * Which proxies in front of the API to believe about the client address (X-Forwarded-For),
     * used by rate limits and login history: `false` (none), a hop count, or a comma-separated
     * list of addresses, CIDR ranges or `loopback` / `linklocal` / `uniquelocal`.
     */
    API_TRUST_PROXY: trustProxy.default('false'),
    /** Where outside services (the sandbox bank) deliver webhooks. */
    PUBLIC_API_URL: z.string().url().default('http://127.0.0.1:3000'),

    /**
     * PostgreSQL, the one database engine: postgres://user:pass@host:5432/db. The default is the
     * embedded server that `npm start` runs on 127.0.0.1:5433 (data in .data/postgres).
     */
    DATABASE_URL: z
      .string()
      .url()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .default('postgres://account_center:account_center@127.0.0.1:5433/account_center'),
    /** Log every SQL statement. */
    DB_DEBUG: bool.default('false'),

    /** Temporal front end (host:port). */
    TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
    /** Temporal namespace. */
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    /** Overrides the contract's task queue; tests use it to isolate parallel runs. */
    TEMPORAL_TASK_QUEUE: z.string().min(1).optional(),
    /**
     * Key ring of the Temporal payload codec (AES-256-GCM): comma-separated `id=key` pairs, each key
     * 32 bytes as base64 or hex. The first key encrypts new payloads; all of them decrypt, so to
     * rotate put a new key first and keep the old ones while histories under them are retained.
     * The API, the worker and the codec server must share it. The default is for local use only.
     */
    TEMPORAL_PAYLOAD_KEYS: z
      .string()
      .default('local-1=bG9jYWwtZGV2LXRlbXBvcmFsLXBheWxvYWQta2V5LTE=')
      .refine(
        (v) => 'ring' in parsePayloadKeys(v),
        (v) => {
          const parsed = parsePayloadKeys(v);
          return { message: 'issues' in parsed ? parsed.issues.join('; ') : 'invalid' };
        },
      ),
    /**
     * Origins of the Temporal Web UI allowed to call the codec server (/temporal-codec) with the
     * operator's session cookie (CORS with credentials), comma separated.
     */
    TEMPORAL_CODEC_CORS_ORIGINS: z
      .string()
      .default('http://127.0.0.1:8233,http://localhost:8233')
      .transform((s) =>
        s
          .split(',')
          .map((o) => o.trim().replace(/\/$/, ''))
          .filter(Boolean),
      )
      .pipe(z.array(z.string().url())),

    /** How long a sign-in session lasts. */
    SESSION_TTL_MINUTES: z.coerce
      .number()
      .int()
      .min(5)
      .max(60 * 24 * 30)
      .default(12 * 60),

    /**
     * AES-256-GCM key that MFA device secrets and staff TOTP secrets are encrypted under: 32 bytes,
     * base64 (44 characters) or hex (64 characters). The default is for local use only.
     */
    MFA_ENCRYPTION_KEY: z
      .string()
      .default('bG9jYWwtZGV2LW1mYS1lbmNyeXB0aW9uLWtleS0zMmI=')
      .refine(
        (k) => decodeKey32(k) !== null,
        'must be 32 bytes as base64 (44 characters) or hex (64 characters)',
      ),
    /**
     * AES-256-GCM key that other data at rest is encrypted under (the bank account numbers of
     * deposit verifications): 32 bytes, base64 or hex. The default is for local use only.
     */
    DATA_ENCRYPTION_KEY: z
      .string()
      .default('bG9jYWwtZGV2LWRhdGEtZW5jcnlwdGlvbi1rZXktMzI=')
      .refine(
        (k) => decodeKey32(k) !== null,
        'must be 32 bytes as base64 (44 characters) or hex (64 characters)',
      ),
    /** Issuer shown by authenticator apps next to the account name. */
    MFA_ISSUER: z.string().min(1).max(64).default('Account Center'),
    /** Captcha provider; `sandbox` issues challenges whose answers a sandbox route reveals. */
    CAPTCHA_ADAPTER: z.enum(['sandbox']).default('sandbox'),
    /** How long a captcha challenge can be answered. */
    CAPTCHA_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),

    /** Extra non-working days (Asia/Shanghai) for business-day arithmetic, comma separated. */
    HOLIDAYS: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((d) => d.trim())
          .filter(Boolean),
      )
      .pipe(z.array(isoDate)),
    /**
     * Human-task SLAs (issue 9): business days from a task's creation to its due time, per case
     * kind, as `kind=days` pairs (e.g. `payout-appeal=3,sign-in-appeal=1`); kinds not named keep 2.
     * At the due time an undecided task escalates to the senior-review queue.
     */
    REVIEW_SLA_BUSINESS_DAYS: z
      .string()
      .default('')
      .transform((s, ctx) => {
        const out: Partial<Record<ReviewKind, number>> = {};
        for (const pair of s
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)) {
          const [kind, days] = pair.split('=').map((p) => p.trim());
          if (!kind || !(REVIEW_KINDS as readonly string[]).includes(kind) || !/^\d{1,2}$/.test(days ?? '')) {
            ctx.addIssue({
              code: z.ZodIssueCode.custom,
              message: `"${pair}" is not kind=days with a kind of ${REVIEW_KINDS.join(', ')} and 0–99 days`,
            });
            return z.NEVER;
          }
          out[kind as ReviewKind] = Number(days);
        }
        return out;
      }),

    /**
     * Account cancellation (issue 10): days between the approval and the execution, in which the
     * owner may still withdraw. 0 executes at once (tests, demos).
     */
    CANCELLATION_COOLING_OFF_DAYS: z.coerce.number().int().min(0).max(90).default(15),

    /** Email delivery: nodemailer SMTP when set (smtp://user:pass@host:587); otherwise the sandbox outbox. SMS always goes to the sandbox outbox. */
    SMTP_URL: z.string().url().optional(),
    /** Sender of emails sent over SMTP. */
    MAIL_FROM: z.string().min(3).default('Account Center <no-reply@account-center.local>'),
    /** Simulated latency of each sandbox SMS/email, "min-max" in ms. */
    NOTIFIER_SANDBOX_LATENCY_MS: z
      .string()
      .regex(/^\d+-\d+$/, 'expected "min-max" in milliseconds')
      .default('0-0')
      .transform((s) => s.split('-').map(Number) as [number, number]),
    /** How often the API looks for security notices due for (re)delivery. */
    NOTIFIER_OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    /** Key of the HMAC that verification codes are stored under (a 6-digit code alone is brute-forced at once). */
    VERIFICATION_CODE_SECRET: z.string().min(16).default('local-dev-verification-code-secret'),
    /** QQ / WeChat / Official Account identity provider; `sandbox` issues signed assertions. */
    IDENTITY_ADAPTER: z.enum(['sandbox']).default('sandbox'),
    /** HMAC key of the sandbox identity provider's assertions (QQ, WeChat, Official Account). */
    IDENTITY_SANDBOX_SECRET: z.string().min(16).default('local-dev-identity-sandbox-secret'),
    /** How long a provider assertion stays valid after it is issued. */
    IDENTITY_ASSERTION_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
    /** Sign-in attempts (owners, sub-users, staff, second steps) per client address per minute. */
    SIGN_IN_RATE_LIMIT_PER_CLIENT: z.coerce.number().int().min(1).max(100_000).default(30),
    /** Sign-in attempts from all clients together per minute: a ceiling against a distributed attack. */
    SIGN_IN_RATE_LIMIT_GLOBAL: z.coerce.number().int().min(1).max(10_000_000).default(6000),
    /** Verification codes sent (SMS and email) per client address per minute. */
    CODE_SEND_RATE_LIMIT_PER_CLIENT: z.coerce.number().int().min(1).max(100_000).default(10),
    /** Verification codes sent to anyone per minute: a ceiling on what an attacker can make us send. */
    CODE_SEND_RATE_LIMIT_GLOBAL: z.coerce.number().int().min(1).max(10_000_000).default(1200),
    /** Sign-ups (email and QQ/WeChat) per client address per minute. */
    SIGN_UP_RATE_LIMIT_PER_CLIENT: z.coerce.number().int().min(1).max(100_000).default(10),
    /** Sign-ups from all clients together per minute. */
    SIGN_UP_RATE_LIMIT_GLOBAL: z.coerce.number().int().min(1).max(10_000_000).default(600),
    /** How often each API process purges expired captchas, old failure counts and rate-limit windows. */
    PURGE_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(600_000),
    /** ACC-5: "find my account" requests per client IP in any 60-second window. */
    FIND_ACCOUNT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(10),

    /** Bank used for deposit payouts; `sandbox` behaves like a bank (delays, failures, idempotency). */
    BANK_ADAPTER: z.enum(['sandbox']).default('sandbox'),
    /** HMAC key the bank signs its webhooks with (at least 16 characters). Set it in production. */
    BANK_WEBHOOK_SECRET: z.string().min(16).default('local-dev-bank-webhook-secret'),
    /** Face recognition service of personal verification (RN-6); `sandbox` behaves like one (sessions, liveness, delayed signed callbacks). */
    FACE_ADAPTER: z.enum(['sandbox']).default('sandbox'),
    /** HMAC key the face recognition service signs its result callbacks with (at least 16 characters). Set it in production. */
    FACE_WEBHOOK_SECRET: z.string().min(16).default('local-dev-face-webhook-secret'),
    /** Sandbox face service: milliseconds from the liveness step to the result (and its callback). */
    FACE_SANDBOX_RESULT_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(3000),
    /** Sandbox face service: how often the worker decides due results and delivers callbacks. */
    FACE_SANDBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(20).max(60_000).default(1000),
    /**
     * Where appeal documents are kept (encrypted, see docs/architecture.md "Documents");
     * `filesystem` writes them under DOCUMENT_STORE_DIR.
     */
    DOCUMENT_STORE_ADAPTER: z.enum(['filesystem']).default('filesystem'),
    /**
     * Folder of the filesystem document store, relative to the working directory or absolute.
     * Production mode needs it set to a folder of its own (a mounted volume).
     */
    DOCUMENT_STORE_DIR: z.string().trim().min(1).max(1024).default('.data/documents'),
    /**
     * Folder of the reviewer console's static files (issue 14), which `npm run build` writes and
     * the API serves under /console; relative to the working directory or absolute.
     */
    CONSOLE_DIR: z.string().trim().min(1).max(1024).default('dist/console'),
    /** Sandbox bank: fewest business days before a payout lands. */
    BANK_SANDBOX_MIN_BUSINESS_DAYS: z.coerce.number().int().min(0).max(10).default(1),
    /** Sandbox bank: most business days before a payout lands. */
    BANK_SANDBOX_MAX_BUSINESS_DAYS: z.coerce.number().int().min(0).max(10).default(3),
    /** When set, payouts land after this many milliseconds instead of business days (local demos). */
    BANK_SANDBOX_LANDING_DELAY_MS: z.coerce.number().int().min(0).optional(),
    /** Sandbox bank: how often the worker lands due payouts and delivers webhooks. */
    BANK_SANDBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(20).max(60_000).default(1000),
    /** Simulated latency of each bank call, "min-max" in ms. */
    BANK_SANDBOX_LATENCY_MS: z
      .string()
      .regex(/^\d+-\d+$/, 'expected "min-max" in milliseconds')
      .default('20-150')
      .transform((s) => s.split('-').map(Number) as [number, number]),
    /** Probability (0–1) that a payout call fails before the bank acts. */
    BANK_SANDBOX_ERROR_RATE: z.coerce.number().min(0).max(1).default(0),
    /** Probability (0–1) that the bank acts but its answer is lost (the caller must retry safely). */
    BANK_SANDBOX_LOST_RESPONSE_RATE: z.coerce.number().min(0).max(1).default(0),
    /**
     * Mounts /sandbox/* routes that stand in for the outside world (the outbox of sent codes,
     * identity authorize, captcha answers, bank statements): they hand out codes and forge
     * sign-ins, so `npm start` turns them on and production mode refuses them.
     */
    SANDBOX_ROUTES: bool.default('false'),
    /** Mounts /admin-sandbox/* (operators set up orders, charges, resources, … for an account). Never in production. */
    SANDBOX_ADMIN_API: bool.default('false'),
    /** Required when SANDBOX_ADMIN_API=true; sent as the `X-Admin-Token` header. */
    SANDBOX_ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  })
  .superRefine((c, ctx) => {
    if (c.SANDBOX_ADMIN_API && !c.SANDBOX_ADMIN_TOKEN) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['SANDBOX_ADMIN_TOKEN'],
        message: 'required when SANDBOX_ADMIN_API=true',
      });
    }
    if (c.BANK_SANDBOX_MIN_BUSINESS_DAYS > c.BANK_SANDBOX_MAX_BUSINESS_DAYS) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['BANK_SANDBOX_MIN_BUSINESS_DAYS'],
        message: 'must not exceed BANK_SANDBOX_MAX_BUSINESS_DAYS',
      });
    }
  });

export type RawConfig = z.infer<typeof configSchema>;

export interface DatabaseConfig {
  /** postgres:// URL of the database. */
  url: string;
  debug: boolean;
}

/** The request limits that `@RateLimited(name)` applies. */
export type RequestLimitName = 'sign_in' | 'code_send' | 'sign_up';

export interface AppConfig {
  /** `production` outside local development (APP_MODE or NODE_ENV=production): fails closed. */
  mode: 'local' | 'production';
  logLevel: RawConfig['LOG_LEVEL'];
  logFormat: 'json' | 'pretty';
  worker: {
    /** host:port of the SDK's Prometheus endpoint, if served. */
    metricsAddress?: string;
    shutdownGraceSeconds: number;
    maxCachedWorkflows: number;
    /** The prebuilt workflow bundle; unset: workflows/ is bundled at start (local, tests). */
    workflowBundlePath?: string;
  };
  /** OpenTelemetry: the OTLP/HTTP endpoint, if traces are exported. */
  tracing: { otlpEndpoint?: string };
  api: { host: string; port: number; publicUrl: string; trustProxy: false | number | string[] };
  database: DatabaseConfig;
  temporal: {
    address: string;
    namespace: string;
    taskQueue?: string;
    /** The payload codec's keys (first: current); see libs/temporal/src/payload-codec.ts. */
    payloadKeys: PayloadKeyRing;
    /** Web UI origins the codec server answers (CORS with credentials). */
    codecCorsOrigins: string[];
  };
  sessions: { ttlMinutes: number };
  mfa: { encryptionKey: string; issuer: string };
  /** Key of data encrypted at rest other than MFA secrets (bank account numbers). */
  dataEncryptionKey: string;
  captcha: { adapter: 'sandbox'; ttlSeconds: number };
  notifier: {
    smtpUrl?: string;
    mailFrom: string;
    sandboxLatencyMs: [number, number];
    outboxPollMs: number;
  };
  verificationCodes: { secret: string };
  identity: { adapter: 'sandbox'; sandboxSecret: string; assertionTtlSeconds: number };
  findAccount: { perMinute: number };
  /** Per client address and global request limits, per minute (Retry-After when exceeded). */
  rateLimits: Record<RequestLimitName, { perClient: number; global: number }>;
  purgeIntervalMs: number;
  calendar: { holidays: string[] };
  /** Business days to a human task's due time, per kind (the others: REVIEW_POLICIES). */
  reviewSlaBusinessDays: Partial<Record<ReviewKind, number>>;
  /** Days of cooling-off before an approved cancellation is executed. */
  cancellationCoolingOffDays: number;
  bank: {
    adapter: 'sandbox';
    webhookSecret: string;
    sandbox: {
      minBusinessDays: number;
      maxBusinessDays: number;
      landingDelayMs?: number;
      pollIntervalMs: number;
      latencyMs: [number, number];
      errorRate: number;
      lostResponseRate: number;
    };
  };
  /** The face recognition service of personal verification (RN-6). */
  face: {
    adapter: 'sandbox';
    webhookSecret: string;
    sandbox: { resultDelayMs: number; pollIntervalMs: number };
  };
  /** The document store of appeal documents (encrypted at rest under dataEncryptionKey). */
  documents: { adapter: 'filesystem'; dir: string };
  /** The reviewer console's built static files, served under /console. */
  console: { dir: string };
  sandboxRoutes: boolean;
  sandboxAdmin: { enabled: boolean; token?: string };
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Fail closed outside local mode: every secret set by the environment (not the development
 * default) and not a known development value, DATABASE_URL set, no sandbox switch on.
 */
function productionIssues(c: RawConfig, set: ReadonlySet<string>): string[] {
  if (c.APP_MODE !== 'production' && c.NODE_ENV !== 'production') return [];
  const issues: string[] = [];
  for (const name of PRODUCTION_SECRETS) {
    if (!set.has(name)) issues.push(`${name}: missing: production mode needs a secret of its own`);
    else if (DEVELOPMENT_SECRET_VALUES.has(c[name])) {
      issues.push(`${name}: is a development value: production mode needs a secret of its own`);
    }
  }
  if (set.has('TEMPORAL_PAYLOAD_KEYS') && c.TEMPORAL_PAYLOAD_KEYS.includes(DEVELOPMENT_PAYLOAD_KEY)) {
    issues.push('TEMPORAL_PAYLOAD_KEYS: holds the development key: production mode needs keys of its own');
  }
  if (!set.has('DATABASE_URL')) {
    issues.push('DATABASE_URL: missing: production mode does not use the local embedded database');
  }
  if (!set.has('DOCUMENT_STORE_DIR')) {
    issues.push(
      'DOCUMENT_STORE_DIR: missing: production mode keeps documents in a folder of its own (a mounted volume), not the local .data/documents',
    );
  } else if (!c.DOCUMENT_STORE_DIR.startsWith('/')) {
    issues.push('DOCUMENT_STORE_DIR: must be an absolute path in production mode');
  }
  for (const name of SANDBOX_SWITCHES) {
    if (c[name]) {
      issues.push(
        `${name}: must be off in production mode: sandbox routes hand out codes and forge sign-ins`,
      );
    }
  }
  if (c.LOG_FORMAT === 'pretty') {
    issues.push('LOG_FORMAT: pretty is for local development: production mode logs json');
  }
  if (c.SANDBOX_ADMIN_TOKEN && DEVELOPMENT_SECRET_VALUES.has(c.SANDBOX_ADMIN_TOKEN)) {
    issues.push('SANDBOX_ADMIN_TOKEN: is a development value');
  }
  return issues;
}

/** Parses an environment (default: `process.env`) into the typed configuration. */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const c = result.data;
  const refused = productionIssues(c, new Set(Object.keys(cleaned)));
  if (refused.length > 0) throw new ConfigError(refused);
  const mode = c.APP_MODE === 'production' || c.NODE_ENV === 'production' ? 'production' : 'local';
  return {
    mode,
    logLevel: c.LOG_LEVEL,
    logFormat: c.LOG_FORMAT ?? (mode === 'production' ? 'json' : 'pretty'),
    worker: {
      metricsAddress: c.WORKER_METRICS_ADDRESS,
      shutdownGraceSeconds: c.WORKER_SHUTDOWN_GRACE_SECONDS,
      maxCachedWorkflows: c.WORKER_MAX_CACHED_WORKFLOWS,
      workflowBundlePath: c.WORKFLOW_BUNDLE_PATH,
    },
    tracing: { otlpEndpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT },
    api: {
      host: c.API_HOST,
      port: c.API_PORT,
      publicUrl: c.PUBLIC_API_URL.replace(/\/$/, ''),
      trustProxy: c.API_TRUST_PROXY,
    },
    database: { url: c.DATABASE_URL, debug: c.DB_DEBUG },
    temporal: {
      address: c.TEMPORAL_ADDRESS,
      namespace: c.TEMPORAL_NAMESPACE,
      taskQueue: c.TEMPORAL_TASK_QUEUE,
      payloadKeys: (parsePayloadKeys(c.TEMPORAL_PAYLOAD_KEYS) as { ring: PayloadKeyRing }).ring,
      codecCorsOrigins: c.TEMPORAL_CODEC_CORS_ORIGINS,
    },
    sessions: { ttlMinutes: c.SESSION_TTL_MINUTES },
    mfa: { encryptionKey: c.MFA_ENCRYPTION_KEY, issuer: c.MFA_ISSUER },
    dataEncryptionKey: c.DATA_ENCRYPTION_KEY,
    captcha: { adapter: c.CAPTCHA_ADAPTER, ttlSeconds: c.CAPTCHA_TTL_SECONDS },
    notifier: {
      smtpUrl: c.SMTP_URL,
      mailFrom: c.MAIL_FROM,
      sandboxLatencyMs: c.NOTIFIER_SANDBOX_LATENCY_MS,
      outboxPollMs: c.NOTIFIER_OUTBOX_POLL_MS,
    },
    verificationCodes: { secret: c.VERIFICATION_CODE_SECRET },
    identity: {
      adapter: c.IDENTITY_ADAPTER,
      sandboxSecret: c.IDENTITY_SANDBOX_SECRET,
      assertionTtlSeconds: c.IDENTITY_ASSERTION_TTL_SECONDS,
    },
    findAccount: { perMinute: c.FIND_ACCOUNT_RATE_LIMIT_PER_MINUTE },
    rateLimits: {
      sign_in: { perClient: c.SIGN_IN_RATE_LIMIT_PER_CLIENT, global: c.SIGN_IN_RATE_LIMIT_GLOBAL },
      code_send: { perClient: c.CODE_SEND_RATE_LIMIT_PER_CLIENT, global: c.CODE_SEND_RATE_LIMIT_GLOBAL },
      sign_up: { perClient: c.SIGN_UP_RATE_LIMIT_PER_CLIENT, global: c.SIGN_UP_RATE_LIMIT_GLOBAL },
    },
    purgeIntervalMs: c.PURGE_INTERVAL_MS,
    calendar: { holidays: c.HOLIDAYS },
    reviewSlaBusinessDays: c.REVIEW_SLA_BUSINESS_DAYS,
    cancellationCoolingOffDays: c.CANCELLATION_COOLING_OFF_DAYS,
    bank: {
      adapter: c.BANK_ADAPTER,
      webhookSecret: c.BANK_WEBHOOK_SECRET,
      sandbox: {
        minBusinessDays: c.BANK_SANDBOX_MIN_BUSINESS_DAYS,
        maxBusinessDays: c.BANK_SANDBOX_MAX_BUSINESS_DAYS,
        landingDelayMs: c.BANK_SANDBOX_LANDING_DELAY_MS,
        pollIntervalMs: c.BANK_SANDBOX_POLL_INTERVAL_MS,
        latencyMs: c.BANK_SANDBOX_LATENCY_MS,
        errorRate: c.BANK_SANDBOX_ERROR_RATE,
        lostResponseRate: c.BANK_SANDBOX_LOST_RESPONSE_RATE,
      },
    },
    face: {
      adapter: c.FACE_ADAPTER,
      webhookSecret: c.FACE_WEBHOOK_SECRET,
      sandbox: {
        resultDelayMs: c.FACE_SANDBOX_RESULT_DELAY_MS,
        pollIntervalMs: c.FACE_SANDBOX_POLL_INTERVAL_MS,
      },
    },
    documents: { adapter: c.DOCUMENT_STORE_ADAPTER, dir: c.DOCUMENT_STORE_DIR },
    console: { dir: c.CONSOLE_DIR },
    sandboxRoutes: c.SANDBOX_ROUTES,
    sandboxAdmin: { enabled: c.SANDBOX_ADMIN_API, token: c.SANDBOX_ADMIN_TOKEN },
  };
}

/**
 * Loads the configuration from the process environment, or stops the process with a message
 * naming each bad variable. Call once, in an entry point.
 */
export function loadConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  try {
    return parseConfig({ ...process.env, ...overrides });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/** Only for tests and scripts that need the environment as configured, e.g. to spawn a child. */
export function readEnvironment(): Record<string, string | undefined> {
  return { ...process.env };
}
