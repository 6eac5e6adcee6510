export * from './verification.activities';
export * from './domain-failures';
export * from './recharge.activities';
