export * from './verification.activities';
export * from './domain-failures';
export * from './personal-verification.activities';
export * from './recharge.activities';
