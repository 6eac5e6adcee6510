export * from './verification.activities';
export * from './domain-failures';
