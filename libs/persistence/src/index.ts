export * from './entities';
export * from './orm-options';
export * from './database';
export * from './nest/persistence.module';
