/**
 * What a process says about itself in the Temporal Web UI (issue 12 §2): the user metadata
 * `staticSummary` (one line, the list's Summary column) and `staticDetails` (the workflow page), so
 * the UI reads as business steps, not function names. IDs, codes and numbers of days only: never
 * a name, a bank account number, an amount or any text a person wrote (they are payloads too, and
 * sealed by the codec, but the rule is the same as for search attributes). Pure: workflows import it.
 */
export interface ProcessSummary {
  staticSummary: string;
  staticDetails: string;
}

export const processSummaries = {
  depositVerification: (input: { verificationId: string; accountId: number }): ProcessSummary => ({
    staticSummary: `Enterprise deposit verification · verification ${input.verificationId}`,
    staticDetails:
      `Account ${input.accountId}: a small payout to the company's bank account, then the owner enters ` +
      'the amount received (two tries, seven days); a right amount makes the account enterprise-verified.',
  }),
  depositRerun: (input: { verificationId: string; accountId: number; caseId: string }): ProcessSummary => ({
    staticSummary: `Enterprise deposit verification (payout appeal rerun) · verification ${input.verificationId}`,
    staticDetails:
      `Account ${input.accountId}: a new payout after the payout appeal ${input.caseId} was approved, then ` +
      'the owner enters the amount received; a right amount makes the account enterprise-verified.',
  }),
  personalVerification: (input: { verificationId: string; accountId: number }): ProcessSummary => ({
    staticSummary: `Personal verification by face · verification ${input.verificationId}`,
    staticDetails:
      `Account ${input.accountId}: a face recognition session with a liveness step; the service's signed ` +
      'result (or one question after 30 minutes) makes the account personally verified or says why not (RN-6).',
  }),
  rechargeVerification: (input: { verificationId: string; accountId: number }): ProcessSummary => ({
    staticSummary: `Enterprise recharge verification · verification ${input.verificationId}`,
    staticDetails:
      `Account ${input.accountId}: the enterprise pays the issued sum from its corporate account within ` +
      'seven days; a matching payment makes the account enterprise-verified, every payment is credited (RN-9).',
  }),
} as const;
