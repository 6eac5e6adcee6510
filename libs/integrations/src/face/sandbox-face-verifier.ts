import { hkdfSync } from 'node:crypto';
import { type MikroORM } from '@mikro-orm/core';
import type { Clock } from '../../../domain/src/clock';
import { ConflictError, NotFoundError } from '../../../domain/src/errors';
import { newId } from '../../../domain/src/ids';
import {
  mainlandIdChecksumValid,
  type FaceOutcome,
  type IdentityDocumentType,
} from '../../../domain/src/personal-verification';
import { SecretBox } from '../../../domain/src/secret-box';
import { isUniqueViolation } from '../../../persistence/src/database';
import { SandboxFaceSession } from '../../../persistence/src/entities';
import { deliverSignedWebhooks, SandboxDispatcher } from '../webhook-delivery';
import {
  FACE_SIGNATURE_HEADER,
  type FaceResult,
  type FaceResultEvent,
  type FaceSession,
  type FaceSessionRequest,
  type FaceVerifier,
} from './face-verifier.port';

export interface SandboxFaceOptions {
  /** Where the signed result callbacks go (the API's /webhooks/face). */
  webhookUrl: string;
  webhookSecret: string;
  /** The base of the liveness page's address (the API's sandbox routes stand in for the provider's page). */
  livenessBaseUrl: string;
  /** How long after the liveness step the result is ready. */
  resultDelayMs: number;
  /** How long a session takes a liveness step. */
  sessionTtlMs: number;
}

/**
 * What the user's camera captured in the liveness step: the sandbox's input. A real provider
 * reads it off the video; here the caller says it, so each RN-6 outcome can be reached.
 */
export interface LivenessCapture {
  /** `covered`: a mask, a hand or sunglasses hide part of the face. */
  face: 'clear' | 'covered';
  /** `partial`: the face was not fully inside the frame. */
  framing: 'full' | 'partial';
  /** How alike the captured face and the register's ID photo are, 0–100. */
  likeness: number;
}

/** Likeness the sandbox, like common providers' default threshold, needs to call it the same person. */
export const SANDBOX_LIKENESS_THRESHOLD = 80;
const WEBHOOK_CONCURRENCY = 8;

/**
 * RN-6 as the sandbox decides it, in the order a provider checks: the liveness frames first
 * (fully in frame, uncovered), then the identity register (a mainland ID number whose check
 * character is wrong is not in it; a name of fewer than two characters matches no one), then the
 * face against the register's photo.
 */
export function sandboxOutcome(
  capture: LivenessCapture,
  identity: { name: string; idNumber: string; documentType: string },
): FaceOutcome {
  if (capture.framing === 'partial') return 'face_not_in_frame';
  if (capture.face === 'covered') return 'face_covered';
  const knownNumber =
    identity.documentType === ('mainland_id_card' satisfies IdentityDocumentType)
      ? mainlandIdChecksumValid(identity.idNumber)
      : /^[A-Z0-9]{5,20}$/.test(identity.idNumber);
  if (!knownNumber || identity.name.trim().length < 2) return 'name_or_id_number_wrong';
  if (capture.likeness < SANDBOX_LIKENESS_THRESHOLD) return 'face_unlike_id_photo';
  return 'passed';
}

/**
 * A face recognition service that behaves like the real one: sessions that live a while, a
 * liveness step, a result a moment later delivered by a signed callback (retried with backoff
 * until answered), and a result query. State lives in `sandbox_face_sessions`, so it survives
 * restarts; name and ID number are sealed under the sandbox's own key.
 */
export class SandboxFaceVerifier implements FaceVerifier {
  private readonly box: SecretBox;

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly options: SandboxFaceOptions,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.box = new SecretBox(
      Buffer.from(hkdfSync('sha256', options.webhookSecret, 'account-center-sandbox-face', 'at-rest', 32)),
    );
  }

  async createSession(req: FaceSessionRequest): Promise<FaceSession> {
    const em = this.orm.em.fork();
    let s = await em.findOne(SandboxFaceSession, { reference: req.reference });
    if (!s) {
      const now = this.clock.now();
      const sessionId = `FACE${newId()}`;
      s = em.create(SandboxFaceSession, {
        sessionId,
        reference: req.reference,
        documentType: req.documentType,
        nameSealed: this.box.seal(req.name, `${sessionId}:name`),
        idNumberSealed: this.box.seal(req.idNumber, `${sessionId}:id-number`),
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.options.sessionTtlMs),
      });
      try {
        await em.flush();
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        em.clear();
        s = await em.findOneOrFail(SandboxFaceSession, { reference: req.reference });
      }
    }
    return { sessionId: s.sessionId, livenessUrl: this.livenessUrl(s.sessionId), expiresAt: s.expiresAt };
  }

  async getResult(sessionId: string): Promise<FaceResult> {
    const s = await this.orm.em.fork().findOne(SandboxFaceSession, { sessionId });
    if (!s || s.status !== 'decided' || !s.outcome || !s.decidedAt) return { status: 'pending' };
    return { status: 'done', outcome: s.outcome as FaceOutcome, decidedAt: s.decidedAt.toISOString() };
  }

  /** The liveness step, as the provider's camera page would send it. Once per session, before it expires. */
  async submitLiveness(sessionId: string, capture: LivenessCapture): Promise<{ sessionId: string }> {
    const em = this.orm.em.fork();
    const s = await em.findOne(SandboxFaceSession, { sessionId });
    if (!s) throw new NotFoundError('Face session');
    const now = this.clock.now();
    if (s.expiresAt.getTime() <= now.getTime()) {
      throw new ConflictError('face_session_expired', 'This face session has expired; start again');
    }
    const outcome = sandboxOutcome(capture, {
      name: this.box.open(s.nameSealed, `${s.sessionId}:name`),
      idNumber: this.box.open(s.idNumberSealed, `${s.sessionId}:id-number`),
      documentType: s.documentType,
    });
    const taken = await em.nativeUpdate(
      SandboxFaceSession,
      { sessionId, status: 'awaiting_liveness' },
      { status: 'processing', outcome, resultDueAt: new Date(now.getTime() + this.options.resultDelayMs) },
    );
    if (taken !== 1) {
      throw new ConflictError('liveness_already_done', 'The liveness step of this session is already done');
    }
    return { sessionId };
  }

  /** Decides the sessions whose result is due and delivers pending callbacks. Returns how many were delivered. */
  async deliverDue(): Promise<number> {
    const em = this.orm.em.fork();
    const now = this.clock.now();
    await em.nativeUpdate(
      SandboxFaceSession,
      { status: 'processing', resultDueAt: { $lte: now } },
      { status: 'decided', decidedAt: now, nextWebhookAt: now },
    );
    const due = await em.find(
      SandboxFaceSession,
      { status: 'decided', webhookDeliveredAt: null, nextWebhookAt: { $lte: now } },
      { orderBy: { resultDueAt: 'asc' }, limit: 50 },
    );
    const delivered = await deliverSignedWebhooks(
      due,
      (s): FaceResultEvent => ({
        type: 'face.result',
        sessionId: s.sessionId,
        reference: s.reference,
        outcome: s.outcome as FaceOutcome,
        decidedAt: (s.decidedAt ?? now).toISOString(),
      }),
      {
        url: this.options.webhookUrl,
        secret: this.options.webhookSecret,
        signatureHeader: FACE_SIGNATURE_HEADER,
        clock: this.clock,
        fetchImpl: this.fetchImpl,
        concurrency: WEBHOOK_CONCURRENCY,
      },
    );
    await em.flush();
    return delivered;
  }

  private livenessUrl(sessionId: string): string {
    return `${this.options.livenessBaseUrl}/sandbox/face/sessions/${sessionId}/liveness`;
  }
}

/** Polls the sandbox face service so its due work happens on its own (one run at a time). */
export { SandboxDispatcher as SandboxFaceDispatcher };
