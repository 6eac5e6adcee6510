import { MINUTE_MS } from '../../../../libs/domain/src/clock';

/** ASVS 7.5.1 / rule MFA-3: how long a proof of who is behind a session counts as recent. */
export const STEP_UP_TTL_MS = 5 * MINUTE_MS;
