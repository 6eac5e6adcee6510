import { Migration } from '@mikro-orm/migrations';

export class Migration20261201160102_deposit_run_slots extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "deposit_run_slots" ("scope" varchar(120) not null, "slot" smallint not null, "verification_id" varchar(26) not null, "outcome" text check ("outcome" in ('open', 'failed')) not null, "claimed_at" timestamptz not null, "counts_until" timestamptz not null, constraint "deposit_run_slots_pkey" primary key ("scope", "slot"));`,
    );
    this.addSql(
      `create index "deposit_run_slots_verification_idx" on "deposit_run_slots" ("verification_id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "deposit_run_slots" cascade;`);
  }
}
