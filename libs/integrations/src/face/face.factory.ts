import type { MikroORM } from '@mikro-orm/core';
import type { AppConfig } from '../../../config/src/config';
import type { Clock } from '../../../domain/src/clock';
import { FACE_RESULT_WAIT_MS } from '../../../domain/src/personal-verification';
import { SandboxFaceVerifier, type SandboxFaceOptions } from './sandbox-face-verifier';

/** Builds the face recognition adapter chosen by FACE_ADAPTER. */
export function createFaceVerifier(
  config: AppConfig,
  orm: MikroORM,
  clock: Clock,
  overrides: Partial<SandboxFaceOptions> = {},
): SandboxFaceVerifier {
  switch (config.face.adapter) {
    case 'sandbox':
      return new SandboxFaceVerifier(orm, clock, {
        webhookUrl: `${config.api.publicUrl}/webhooks/face`,
        webhookSecret: config.face.webhookSecret,
        livenessBaseUrl: config.api.publicUrl,
        resultDelayMs: config.face.sandbox.resultDelayMs,
        // A session takes its liveness step while the workflow waits for the result.
        sessionTtlMs: FACE_RESULT_WAIT_MS,
        ...overrides,
      });
  }
}
