import { Migration } from '@mikro-orm/migrations';

export class Migration20261201191918_account_data_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "account_data_keys" ("account_id" bigint not null, "wrapped_key" text not null, "created_at" timestamptz not null, "destroyed_at" timestamptz null, constraint "account_data_keys_pkey" primary key ("account_id"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "account_data_keys" cascade;`);
  }
}
