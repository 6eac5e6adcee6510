export { depositVerificationWorkflow } from './deposit-verification.workflow';
export { appealWorkflow } from './appeal.workflow';
export { accountCancellationWorkflow } from './account-cancellation.workflow';
export { personalVerificationWorkflow } from './personal-verification.workflow';
export { rechargeVerificationWorkflow } from './recharge-verification.workflow';
