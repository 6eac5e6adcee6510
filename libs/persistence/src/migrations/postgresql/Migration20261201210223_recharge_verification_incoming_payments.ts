import { Migration } from '@mikro-orm/migrations';

export class Migration20261201210223_recharge_verification_incoming_payments extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "incoming_payments" ("id" varchar(26) not null, "bank_reference" varchar(80) not null, "account_id" bigint not null, "channel" varchar(40) not null, "payer_holder" varchar(200) not null, "payer_account_masked" varchar(40) not null, "amount_fen" int not null, "arrived_at" timestamptz not null, "recharge_verification_id" varchar(26) null, "created_at" timestamptz not null, constraint "incoming_payments_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "incoming_payments" add constraint "incoming_payments_bank_reference_unique" unique ("bank_reference");`,
    );
    this.addSql(
      `create index "incoming_payments_account_idx" on "incoming_payments" ("account_id", "arrived_at");`,
    );

    this.addSql(
      `create table "recharge_verifications" ("id" varchar(26) not null, "account_id" bigint not null, "enterprise_name" varchar(200) not null, "licence_number" varchar(64) not null, "amount_fen" int not null, "deadline" timestamptz not null, "workflow_id" varchar(128) not null, "run_id" varchar(64) null, "status" text check ("status" in ('awaiting_payment', 'verified', 'expired', 'refused', 'cancelled')) not null default 'awaiting_payment', "unmatched_payments" int not null default 0, "matched_payment_id" varchar(26) null, "paid_at" timestamptz null, "confirm_by" timestamptz null, "refusal_rule" varchar(16) null, "refusal_code" varchar(64) null, "closed_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "recharge_verifications_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "recharge_verifications_account_idx" on "recharge_verifications" ("account_id", "created_at");`,
    );

    this.addSql(
      `create table "sandbox_bank_incoming_transfers" ("reference" varchar(40) not null, "idempotency_key" varchar(80) not null, "beneficiary_account" varchar(40) not null, "channel" varchar(40) not null, "payer_account_sealed" text not null, "payer_holder_sealed" text not null, "amount_fen" int not null, "status" text check ("status" in ('in_transit', 'arrived')) not null, "created_at" timestamptz not null, "arrives_at" timestamptz not null, "arrived_at" timestamptz null, "webhook_delivered_at" timestamptz null, "webhook_attempts" int not null default 0, "next_webhook_at" timestamptz null, "last_webhook_error" varchar(500) null, constraint "sandbox_bank_incoming_transfers_pkey" primary key ("reference"));`,
    );
    this.addSql(
      `alter table "sandbox_bank_incoming_transfers" add constraint "sandbox_bank_incoming_idempotency_key_unique" unique ("idempotency_key");`,
    );
    this.addSql(
      `create index "sandbox_bank_incoming_due_idx" on "sandbox_bank_incoming_transfers" ("status", "arrives_at");`,
    );

    this.addSql(
      `alter table "incoming_payments" add constraint "incoming_payments_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "recharge_verifications" add constraint "recharge_verifications_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "deposit_verifications" drop constraint if exists "deposit_verifications_status_check";`,
    );

    this.addSql(
      `alter table "deposit_verifications" add column "refusal_rule" varchar(16) null, add column "refusal_code" varchar(64) null;`,
    );
    this.addSql(
      `alter table "deposit_verifications" add constraint "deposit_verifications_status_check" check("status" in ('payout_pending', 'awaiting_amount', 'verified', 'failed', 'expired', 'payout_not_received', 'withdrawn', 'refused', 'cancelled'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "incoming_payments" cascade;`);

    this.addSql(`drop table if exists "recharge_verifications" cascade;`);

    this.addSql(`drop table if exists "sandbox_bank_incoming_transfers" cascade;`);

    this.addSql(
      `alter table "deposit_verifications" drop constraint if exists "deposit_verifications_status_check";`,
    );

    this.addSql(
      `alter table "deposit_verifications" drop column "refusal_rule", drop column "refusal_code";`,
    );

    this.addSql(
      `alter table "deposit_verifications" add constraint "deposit_verifications_status_check" check("status" in ('payout_pending', 'awaiting_amount', 'verified', 'failed', 'expired', 'payout_not_received', 'withdrawn', 'cancelled'));`,
    );
  }
}
