import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import type { DatabaseConfig } from '../../../config/src/config';
import { openOrm } from '../database';

@Injectable()
class OrmLifecycle implements OnApplicationShutdown {
  constructor(@Inject(MikroORM) private readonly orm: MikroORM) {}
  async onApplicationShutdown(): Promise<void> {
    await this.orm.close();
  }
}

/**
 * Gives a Nest application (API or worker) its MikroORM and EntityManager, both built by the
 * shared options factory. In the API a middleware scopes the EntityManager to each request;
 * activities fork it per call.
 */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(db: DatabaseConfig, orm?: MikroORM): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        orm ? { provide: MikroORM, useValue: orm } : { provide: MikroORM, useFactory: () => openOrm(db) },
        { provide: EntityManager, useFactory: (o: MikroORM) => o.em, inject: [MikroORM] },
        // An ORM handed in by the caller (tests) is closed by the caller.
        ...(orm ? [] : [OrmLifecycle]),
      ],
      exports: [MikroORM, EntityManager],
    };
  }
}
