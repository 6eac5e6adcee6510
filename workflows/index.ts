export { depositVerificationWorkflow } from './deposit-verification.workflow';
