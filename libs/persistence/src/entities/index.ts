import { Account } from './account.entity';
import { BankPayout } from './bank-payout.entity';
import { DepositVerification } from './deposit-verification.entity';
import { AccountDomain, IcpFiling } from './domain-holding.entity';
import { RealNameRecord } from './real-name-record.entity';
import { SandboxBankTransfer } from './sandbox-bank-transfer.entity';
import { Session } from './session.entity';
import { LoginEvent } from './login-event.entity';
import { SignInFailureDay } from './sign-in-failure-day.entity';
import {
  AccountMfaSettings,
  MfaChallenge,
  MfaDevice,
  MfaHardwareToken,
  StepUpProof,
} from './mfa.entity';
import { StaffMember, StaffSession } from './staff.entity';
import { SandboxCaptchaChallenge } from './sandbox-captcha.entity';
import { LoginIdentity } from './login-identity.entity';
import { RegisteredEmail } from './registered-email.entity';
import { VerificationCode } from './verification-code.entity';
import { PhoneBindCount } from './phone-bind-count.entity';
import { SandboxOutboxMessage } from './sandbox-outbox-message.entity';
import { SignInSelectionTicket } from './sign-in-ticket.entity';
import { RateLimitHit } from './rate-limit-hit.entity';

export * from './account.entity';
export * from './bank-payout.entity';
export * from './deposit-verification.entity';
export * from './domain-holding.entity';
export * from './real-name-record.entity';
export * from './sandbox-bank-transfer.entity';
export * from './session.entity';
export * from './login-event.entity';
export * from './sign-in-failure-day.entity';
export * from './mfa.entity';
export * from './staff.entity';
export * from './sandbox-captcha.entity';
export * from './login-identity.entity';
export * from './registered-email.entity';
export * from './verification-code.entity';
export * from './phone-bind-count.entity';
export * from './sandbox-outbox-message.entity';
export * from './sign-in-ticket.entity';
export * from './rate-limit-hit.entity';

/** Every entity the ORM knows. Add new entities here (one list for API, worker, CLI, tests). */
export const ENTITIES = [
  Account,
  Session,
  RealNameRecord,
  DepositVerification,
  BankPayout,
  SandboxBankTransfer,
  AccountDomain,
  IcpFiling,
  // Add new entities below this line, one per line (keeps concurrent edits apart).
  LoginEvent,
  SignInFailureDay,
  AccountMfaSettings,
  MfaHardwareToken,
  MfaDevice,
  MfaChallenge,
  StepUpProof,
  StaffMember,
  StaffSession,
  SandboxCaptchaChallenge,
  LoginIdentity,
  RegisteredEmail,
  VerificationCode,
  PhoneBindCount,
  SandboxOutboxMessage,
  SignInSelectionTicket,
  RateLimitHit,
];
