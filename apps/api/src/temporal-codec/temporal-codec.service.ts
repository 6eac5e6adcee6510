import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/core';
import type { Payload } from '@temporalio/common';
import type { Request } from 'express';
import type { AppConfig } from '../../../../libs/config/src/config';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { CLOCK, type Clock } from '../../../../libs/domain/src/clock';
import {
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../../../../libs/domain/src/errors';
import { newId } from '../../../../libs/domain/src/ids';
import { CodecDecodeEvent } from '../../../../libs/persistence/src/entities';
import { AesGcmPayloadCodec, keyIdOf } from '../../../../libs/temporal/src/payload-codec';
import { SessionService } from '../auth/session.service';
import { StaffSessionsService } from '../staff/staff-sessions.service';
import type { CodecBody, JsonPayload } from './temporal-codec.dto';

/** The cookie that carries an operator's staff session to the codec server from the Web UI. */
export const CODEC_COOKIE = 'ac_codec_session';
export const CODEC_PATH = '/temporal-codec';

export interface CodecOperator {
  staffId: string;
  sessionId: string;
}

const SAFE_ID = /^[A-Za-z0-9._:@/-]{1,255}$/;

function toPayload(p: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {}))
    metadata[k] = new Uint8Array(Buffer.from(v, 'base64'));
  return { metadata, data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')) };
}

function toJson(p: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {}))
    if (v) metadata[k] = Buffer.from(v).toString('base64');
  return { metadata, data: Buffer.from(p.data ?? new Uint8Array()).toString('base64') };
}

/** The named cookie of a request (no cookie parser in this app: one header, parsed here). */
export function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

/**
 * The codec server (issue 12): Temporal's remote codec protocol for the Web UI and the CLI,
 * over the same key ring as the API's and the worker's clients. It answers only a staff session
 * of an operator (a bearer token, or the codec cookie the Web UI sends with credentials), and
 * records each decode: who, which namespace and, where the caller says, which workflow.
 */
@Injectable()
export class TemporalCodecService {
  private readonly logger = new Logger('TemporalCodec');
  private readonly codec: AesGcmPayloadCodec;

  constructor(
    private readonly em: EntityManager,
    private readonly staffSessions: StaffSessionsService,
    private readonly accountSessions: SessionService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.codec = new AesGcmPayloadCodec(config.temporal.payloadKeys);
  }

  /**
   * The operator behind a request: its bearer token or, from a browser, the codec cookie. No
   * token: 401. An account or sub-user session: 403 staff_only. Staff of another role: 403
   * staff_role_required.
   */
  async operator(req: Request): Promise<CodecOperator> {
    const bearer = req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const token = bearer ?? cookieOf(req, CODEC_COOKIE);
    if (!token) {
      throw new UnauthenticatedError(
        'The codec server needs the staff session of an operator (bearer token or codec cookie)',
        'session_required',
      );
    }
    if (!StaffSessionsService.isStaffToken(token)) {
      if (await this.accountSessions.resolve(token)) {
        this.logger.warn('codec call refused: an account session');
        throw new ForbiddenError('The codec server answers only staff sessions of operators', 'staff_only');
      }
      throw new UnauthenticatedError('The session is invalid or has ended', 'session_invalid');
    }
    const session = await this.staffSessions.resolve(token);
    if (!session) throw new UnauthenticatedError('The session is invalid or has ended', 'session_invalid');
    if (session.staff.role !== 'operator') {
      this.logger.warn(`codec call refused: staff ${session.staff.id} has the role ${session.staff.role}`);
      throw new ForbiddenError('This needs one of the roles: operator', 'staff_role_required');
    }
    return { staffId: session.staff.id, sessionId: session.id };
  }

  /** The namespace the caller names (`X-Namespace`): the configured one, or 404. */
  namespaceOf(req: Request): string {
    const ns = req.header('x-namespace') ?? this.config.temporal.namespace;
    if (ns !== this.config.temporal.namespace) {
      throw new NotFoundError(`Namespace "${ns.slice(0, 64)}"`, 'namespace_unknown');
    }
    return ns;
  }

  async decode(body: CodecBody, req: Request, who: CodecOperator): Promise<CodecBody> {
    const namespace = this.namespaceOf(req);
    const payloads = body.payloads.map(toPayload);
    let decoded: Payload[];
    try {
      decoded = await this.codec.decode(payloads);
    } catch (err) {
      throw new ValidationError('payloads', (err as Error).message, 'payload_undecodable');
    }
    const { workflowId, runId } = this.workflowOf(req);
    const keyIds = [...new Set(payloads.map(keyIdOf).filter((k): k is string => k !== undefined))];
    await this.em.fork().insert(CodecDecodeEvent, {
      id: newId(),
      staffId: who.staffId,
      sessionId: who.sessionId,
      namespace,
      workflowId,
      runId,
      payloads: payloads.filter((p) => keyIdOf(p) !== undefined).length,
      keyIds,
      origin: req.header('origin')?.slice(0, 255) ?? null,
      ip: req.ip?.slice(0, 64) ?? null,
      at: this.clock.now(),
    });
    this.logger.log(
      `decode by staff ${who.staffId}: ${payloads.length} payloads, namespace ${namespace}, workflow ${workflowId ?? 'not named'}`,
    );
    return { payloads: decoded.map(toJson) };
  }

  async encode(body: CodecBody, req: Request): Promise<CodecBody> {
    this.namespaceOf(req);
    return { payloads: (await this.codec.encode(body.payloads.map(toPayload))).map(toJson) };
  }

  /**
   * Which workflow a decode is for: `X-Workflow-Id` / `X-Run-Id` (the CLI and the runbook send
   * them), else the Web UI page in the Referer (`…/namespaces/<ns>/workflows/<id>/<run>/…`, sent
   * when the UI and the codec share an origin behind the SSO proxy). Temporal UI 2.34 sends only
   * `X-Namespace`, so a cross-origin decode from the UI is recorded without a workflow.
   */
  private workflowOf(req: Request): { workflowId: string | null; runId: string | null } {
    const header = (name: string): string | null => {
      const v = req.header(name);
      return v && SAFE_ID.test(v) ? v : null;
    };
    let workflowId = header('x-workflow-id');
    let runId = header('x-run-id');
    if (!workflowId) {
      const referer = req.header('referer') ?? '';
      const m = referer.match(/\/namespaces\/[^/]+\/workflows\/([^/?#]+)\/([^/?#]+)/);
      if (m) {
        const id = decodeURIComponent(m[1]);
        workflowId = SAFE_ID.test(id) ? id : null;
        runId = /^[0-9a-f-]{36}$/.test(m[2]) ? m[2] : null;
      }
    }
    return { workflowId, runId };
  }
}
