import type { FaceOutcome, IdentityDocumentType } from '../../../domain/src/personal-verification';

/**
 * The outside face recognition service (RN-6), as the platform sees it: it opens a session for an
 * identity, the user does the liveness step with the provider (a camera page on the phone), and
 * the provider decides — the face against the ID photo of the identity register — and reports the
 * result to the platform's callback, signed. Adapters: `SandboxFaceVerifier` (FACE_ADAPTER=sandbox).
 */
export interface FaceSessionRequest {
  /** The platform's reference (the verification ID): the same reference, the same session. */
  reference: string;
  name: string;
  idNumber: string;
  documentType: IdentityDocumentType;
}

export interface FaceSession {
  sessionId: string;
  /** Where the user does the liveness step. */
  livenessUrl: string;
  expiresAt: Date;
}

/** The provider's answer when asked about a session (a callback may be lost). */
export type FaceResult = { status: 'pending' } | { status: 'done'; outcome: FaceOutcome; decidedAt: string };

export interface FaceVerifier {
  createSession(req: FaceSessionRequest): Promise<FaceSession>;
  getResult(sessionId: string): Promise<FaceResult>;
}

export const FACE_VERIFIER = Symbol('FaceVerifier');

/** The body of the provider's signed callback. */
export interface FaceResultEvent {
  type: 'face.result';
  sessionId: string;
  reference: string;
  outcome: FaceOutcome;
  decidedAt: string;
}

/** Header of the callback's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const FACE_SIGNATURE_HEADER = 'x-face-signature';
