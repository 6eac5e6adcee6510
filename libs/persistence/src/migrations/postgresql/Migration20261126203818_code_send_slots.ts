import { Migration } from '@mikro-orm/migrations';

export class Migration20261126203818_code_send_slots extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "code_send_slots" ("key" varchar(320) not null, "last_sent_at" timestamptz not null, constraint "code_send_slots_pkey" primary key ("key"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "code_send_slots" cascade;`);
  }
}
