import { Account } from './account.entity';
import { BankPayout } from './bank-payout.entity';
import { DepositVerification } from './deposit-verification.entity';
import { AccountDomain, IcpFiling } from './domain-holding.entity';
import { RealNameRecord } from './real-name-record.entity';
import { SandboxBankTransfer } from './sandbox-bank-transfer.entity';
import { Session } from './session.entity';
import { AccountBalance } from './account-balance.entity';
import { AccountUserQuota } from './account-user-quota.entity';
import { CloudResource } from './cloud-resource.entity';
import { Collaborator } from './collaborator.entity';
import { Complaint } from './complaint.entity';
import { IcpFilingTransfer } from './icp-filing-transfer.entity';
import { LedgerEntry } from './ledger-entry.entity';
import { MessageReceiver } from './message-receiver.entity';
import { Order } from './order.entity';
import { OwedAmount } from './owed-amount.entity';
import { Project } from './project.entity';
import { SubUser } from './sub-user.entity';
import { Voucher } from './voucher.entity';
import { LoginIdentity } from './login-identity.entity';
import { RegisteredEmail } from './registered-email.entity';
import { VerificationCode } from './verification-code.entity';
import { PhoneBindCount } from './phone-bind-count.entity';
import { SandboxOutboxMessage } from './sandbox-outbox-message.entity';
import { SignInSelectionTicket } from './sign-in-ticket.entity';
import { RateLimitHit } from './rate-limit-hit.entity';
import { RateLimitWindow } from './rate-limit-window.entity';
import { UsedIdentityAssertion } from './used-identity-assertion.entity';
import { LoginEvent } from './login-event.entity';
import { AppealCase, ReviewEvent, ReviewNote, ReviewTask } from './review.entity';
import { AccountCancellation } from './account-cancellation.entity';
import { SignInFailureDay } from './sign-in-failure-day.entity';
import { AccountMfaSettings, MfaChallenge, MfaDevice, MfaHardwareToken, StepUpProof } from './mfa.entity';
import { StaffMember, StaffSession } from './staff.entity';
import { SandboxCaptchaChallenge } from './sandbox-captcha.entity';
import { CodeSendSlot } from './code-send-slot.entity';
import { NotificationOutboxEntry } from './notification-outbox.entity';
import { DepositRunSlot } from './deposit-run-slot.entity';
import { RechargeVerification } from './recharge-verification.entity';
import { IncomingPayment } from './incoming-payment.entity';
import { SandboxBankIncomingTransfer } from './sandbox-bank-incoming-transfer.entity';
import { CaseDocument, CaseDocumentCount } from './case-document.entity';
import { FaceAttemptDay, PersonalVerification } from './personal-verification.entity';
import { SandboxFaceSession } from './sandbox-face-session.entity';
import { AccountDataKey } from './account-data-key.entity';
import { RealNameSlot } from './real-name-slot.entity';
import { CodecDecodeEvent } from './codec-decode-event.entity';

export * from './codec-decode-event.entity';
export * from './account.entity';
export * from './bank-payout.entity';
export * from './deposit-verification.entity';
export * from './domain-holding.entity';
export * from './real-name-record.entity';
export * from './sandbox-bank-transfer.entity';
export * from './session.entity';
export * from './account-balance.entity';
export * from './account-user-quota.entity';
export * from './cloud-resource.entity';
export * from './collaborator.entity';
export * from './complaint.entity';
export * from './icp-filing-transfer.entity';
export * from './ledger-entry.entity';
export * from './message-receiver.entity';
export * from './order.entity';
export * from './owed-amount.entity';
export * from './project.entity';
export * from './sub-user.entity';
export * from './voucher.entity';
export * from './login-identity.entity';
export * from './registered-email.entity';
export * from './verification-code.entity';
export * from './phone-bind-count.entity';
export * from './sandbox-outbox-message.entity';
export * from './sign-in-ticket.entity';
export * from './rate-limit-hit.entity';
export * from './rate-limit-window.entity';
export * from './used-identity-assertion.entity';
export * from './login-event.entity';
export * from './sign-in-failure-day.entity';
export * from './mfa.entity';
export * from './staff.entity';
export * from './sandbox-captcha.entity';
export * from './code-send-slot.entity';
export * from './notification-outbox.entity';
export * from './deposit-run-slot.entity';
export * from './real-name-slot.entity';
export * from './review.entity';
export * from './account-cancellation.entity';
export * from './case-document.entity';
export * from './account-data-key.entity';
export * from './personal-verification.entity';
export * from './sandbox-face-session.entity';
export * from './recharge-verification.entity';
export * from './incoming-payment.entity';
export * from './sandbox-bank-incoming-transfer.entity';

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
  LoginIdentity,
  RegisteredEmail,
  VerificationCode,
  PhoneBindCount,
  SandboxOutboxMessage,
  SignInSelectionTicket,
  RateLimitHit,
  RateLimitWindow,
  UsedIdentityAssertion,
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
  SubUser,
  Collaborator,
  MessageReceiver,
  AccountUserQuota,
  Project,
  AccountBalance,
  LedgerEntry,
  Voucher,
  Order,
  OwedAmount,
  CloudResource,
  Complaint,
  IcpFilingTransfer,
  CodeSendSlot,
  NotificationOutboxEntry,
  DepositRunSlot,
  AppealCase,
  ReviewTask,
  ReviewEvent,
  ReviewNote,
  AccountCancellation,
  CaseDocument,
  CaseDocumentCount,
  AccountDataKey,
  RealNameSlot,
  PersonalVerification,
  FaceAttemptDay,
  SandboxFaceSession,
  CodecDecodeEvent,
  RechargeVerification,
  IncomingPayment,
  SandboxBankIncomingTransfer,
];
