export * from './errors';
export * from './clock';
export * from './business-days';
export * from './masking';
export * from './deposit-verification';
export * from './ids';
