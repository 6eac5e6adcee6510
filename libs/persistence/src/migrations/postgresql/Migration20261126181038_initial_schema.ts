import { Migration } from '@mikro-orm/migrations';

export class Migration20261126181038_initial_schema extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "accounts" ("id" bigint not null, "email" varchar(254) not null, "password_hash" varchar(255) not null, "password_changed_at" timestamptz null, "status" text check ("status" in ('active', 'cancelled')) not null default 'active', "real_name_status" text check ("real_name_status" in ('unverified', 'personal', 'enterprise')) not null default 'unverified', "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "accounts_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "accounts" add constraint "accounts_email_unique" unique ("email");`);
    this.addSql(`create index "accounts_status_idx" on "accounts" ("status");`);

    this.addSql(
      `create table "bank_payouts" ("id" varchar(26) not null, "verification_id" varchar(26) not null, "idempotency_key" varchar(80) not null, "amount_fen" int not null, "bank_reference" varchar(80) null, "requested_at" timestamptz not null, "landed_at" timestamptz null, constraint "bank_payouts_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "bank_payouts" add constraint "bank_payouts_verification_unique" unique ("verification_id");`,
    );
    this.addSql(
      `alter table "bank_payouts" add constraint "bank_payouts_idempotency_key_unique" unique ("idempotency_key");`,
    );

    this.addSql(
      `create table "deposit_verifications" ("id" varchar(26) not null, "account_id" bigint not null, "enterprise_name" varchar(200) not null, "licence_number" varchar(64) not null, "bank_account_holder" varchar(200) not null, "bank_name" varchar(200) not null, "bank_account_number" varchar(40) not null, "masked_account_number" varchar(40) not null, "workflow_id" varchar(128) not null, "run_id" varchar(64) null, "status" text check ("status" in ('payout_pending', 'awaiting_amount', 'verified', 'failed', 'expired', 'payout_not_received', 'withdrawn')) not null default 'payout_pending', "attempts_left" int not null default 2, "payout_requested_at" timestamptz null, "landed_at" timestamptz null, "deadline" timestamptz null, "appeal_available_from" timestamptz null, "closed_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "deposit_verifications_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "deposit_verifications_account_idx" on "deposit_verifications" ("account_id", "created_at");`,
    );

    this.addSql(
      `create table "real_name_records" ("id" varchar(26) not null, "account_id" bigint not null, "kind" text check ("kind" in ('personal', 'enterprise')) not null, "name" varchar(200) not null, "certificate_number" varchar(64) not null, "method" text check ("method" in ('deposit', 'official_account', 'recharge', 'face')) not null, "source_id" varchar(64) null, "verified_at" timestamptz not null, "superseded_at" timestamptz null, constraint "real_name_records_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "real_name_records_certificate_idx" on "real_name_records" ("kind", "certificate_number", "superseded_at");`,
    );
    this.addSql(
      `create index "real_name_records_account_idx" on "real_name_records" ("account_id", "superseded_at");`,
    );

    this.addSql(
      `create table "sandbox_bank_transfers" ("reference" varchar(40) not null, "idempotency_key" varchar(80) not null, "account_number" varchar(40) not null, "account_holder" varchar(200) not null, "amount_fen" int not null, "status" text check ("status" in ('in_transit', 'landed', 'undeliverable')) not null, "created_at" timestamptz not null, "lands_at" timestamptz null, "landed_at" timestamptz null, "webhook_delivered_at" timestamptz null, "webhook_attempts" int not null default 0, "next_webhook_at" timestamptz null, "last_webhook_error" varchar(500) null, constraint "sandbox_bank_transfers_pkey" primary key ("reference"));`,
    );
    this.addSql(
      `alter table "sandbox_bank_transfers" add constraint "sandbox_bank_transfers_idempotency_key_unique" unique ("idempotency_key");`,
    );
    this.addSql(
      `create index "sandbox_bank_transfers_account_idx" on "sandbox_bank_transfers" ("account_number");`,
    );
    this.addSql(
      `create index "sandbox_bank_transfers_due_idx" on "sandbox_bank_transfers" ("status", "lands_at");`,
    );

    this.addSql(
      `create table "sessions" ("id" varchar(26) not null, "account_id" bigint not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "ip" varchar(64) null, "user_agent" varchar(512) null, constraint "sessions_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "sessions" add constraint "sessions_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "sessions_account_idx" on "sessions" ("account_id");`);

    this.addSql(
      `alter table "deposit_verifications" add constraint "deposit_verifications_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "real_name_records" add constraint "real_name_records_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "sessions" add constraint "sessions_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "deposit_verifications" drop constraint "deposit_verifications_account_id_foreign";`,
    );

    this.addSql(`alter table "real_name_records" drop constraint "real_name_records_account_id_foreign";`);

    this.addSql(`alter table "sessions" drop constraint "sessions_account_id_foreign";`);

    this.addSql(`drop table if exists "accounts" cascade;`);

    this.addSql(`drop table if exists "bank_payouts" cascade;`);

    this.addSql(`drop table if exists "deposit_verifications" cascade;`);

    this.addSql(`drop table if exists "real_name_records" cascade;`);

    this.addSql(`drop table if exists "sandbox_bank_transfers" cascade;`);

    this.addSql(`drop table if exists "sessions" cascade;`);
  }
}
