export * from './bank/bank-gateway.port';
export * from './bank/webhook-signature';
export * from './bank/sandbox-bank';
export * from './bank/bank.factory';
