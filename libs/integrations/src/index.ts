export * from './bank/bank-gateway.port';
export * from './bank/webhook-signature';
export * from './bank/sandbox-bank';
export * from './bank/bank.factory';
export * from './documents/document-store.port';
export * from './documents/filesystem-document-store';
export * from './documents/document-store.factory';
