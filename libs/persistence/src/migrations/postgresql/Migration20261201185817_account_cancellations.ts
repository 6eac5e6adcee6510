import { Migration } from '@mikro-orm/migrations';

export class Migration20261201185817_account_cancellations extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "account_cancellations" ("id" varchar(26) not null, "account_id" bigint not null, "status" text check ("status" in ('checking', 'in_review', 'cooling_off', 'executing', 'cancelled', 'rejected', 'withdrawn')) not null default 'checking', "workflow_id" varchar(128) not null, "run_id" varchar(64) null, "blockers" jsonb null, "risk_flags" jsonb not null, "reason_code" varchar(64) null, "cooling_off_ends_at" timestamptz null, "created_at" timestamptz not null, "closed_at" timestamptz null, constraint "account_cancellations_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "account_cancellations_account_idx" on "account_cancellations" ("account_id", "created_at");`,
    );
    this.addSql(
      `create unique index "account_cancellations_one_open_unique" on "account_cancellations" ("account_id") where "status" in ('checking', 'in_review', 'cooling_off', 'executing');`,
    );

    this.addSql(`alter table "review_tasks" drop constraint if exists "review_tasks_kind_check";`);

    this.addSql(
      `alter table "review_tasks" add constraint "review_tasks_kind_check" check("kind" in ('security-phone-appeal', 'registration-email-appeal', 'mfa-device-appeal', 'sign-in-appeal', 'payout-appeal', 'account-cancellation'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "account_cancellations" cascade;`);

    this.addSql(`alter table "review_tasks" drop constraint if exists "review_tasks_kind_check";`);

    this.addSql(
      `alter table "review_tasks" add constraint "review_tasks_kind_check" check("kind" in ('security-phone-appeal', 'registration-email-appeal', 'mfa-device-appeal', 'sign-in-appeal', 'payout-appeal'));`,
    );
  }
}
