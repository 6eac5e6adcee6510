import { Migration } from '@mikro-orm/migrations';

export class Migration20261126193324_identity_assertion_replay extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "used_identity_assertions" ("id" varchar(64) not null, "provider" varchar(16) not null, "used_at" timestamptz not null, "expires_at" timestamptz not null, constraint "used_identity_assertions_pkey" primary key ("id"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "used_identity_assertions" cascade;`);
  }
}
