/**
 * A captcha service (CON-2): the platform asks it for a challenge that a human answers, then asks
 * it whether an answer is right. Real providers behave the same way: the challenge is shown by the
 * client, verification happens server to server, and a challenge is good for one verification.
 */
export interface CaptchaChallenge {
  challengeId: string;
  expiresAt: Date;
  /** What the client shows the human (the sandbox: a description of where to read the answer). */
  prompt: string;
}

export interface Captcha {
  issue(): Promise<CaptchaChallenge>;
  /** True once for a right answer to a live challenge; the challenge is used up either way. */
  verify(challengeId: string, answer: string): Promise<boolean>;
}

export const CAPTCHA = Symbol('Captcha');
