import { Migration } from '@mikro-orm/migrations';

export class Migration20261126181038_initial_schema extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`accounts\` (\`id\` bigint not null, \`email\` text not null, \`password_hash\` text not null, \`password_changed_at\` datetime null, \`status\` text check (\`status\` in ('active', 'cancelled')) not null default 'active', \`real_name_status\` text check (\`real_name_status\` in ('unverified', 'personal', 'enterprise')) not null default 'unverified', \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`,
    );
    this.addSql(`create unique index \`accounts_email_unique\` on \`accounts\` (\`email\`);`);
    this.addSql(`create index \`accounts_status_idx\` on \`accounts\` (\`status\`);`);

    this.addSql(
      `create table \`bank_payouts\` (\`id\` text not null, \`verification_id\` text not null, \`idempotency_key\` text not null, \`amount_fen\` integer not null, \`bank_reference\` text null, \`requested_at\` datetime not null, \`landed_at\` datetime null, primary key (\`id\`));`,
    );
    this.addSql(
      `create unique index \`bank_payouts_verification_unique\` on \`bank_payouts\` (\`verification_id\`);`,
    );
    this.addSql(
      `create unique index \`bank_payouts_idempotency_key_unique\` on \`bank_payouts\` (\`idempotency_key\`);`,
    );

    this.addSql(
      `create table \`deposit_verifications\` (\`id\` text not null, \`account_id\` bigint not null, \`enterprise_name\` text not null, \`licence_number\` text not null, \`bank_account_holder\` text not null, \`bank_name\` text not null, \`bank_account_number\` text not null, \`masked_account_number\` text not null, \`workflow_id\` text not null, \`run_id\` text null, \`status\` text check (\`status\` in ('payout_pending', 'awaiting_amount', 'verified', 'failed', 'expired', 'payout_not_received', 'withdrawn')) not null default 'payout_pending', \`attempts_left\` integer not null default 2, \`payout_requested_at\` datetime null, \`landed_at\` datetime null, \`deadline\` datetime null, \`appeal_available_from\` datetime null, \`closed_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`deposit_verifications_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`deposit_verifications_account_id_index\` on \`deposit_verifications\` (\`account_id\`);`,
    );
    this.addSql(
      `create index \`deposit_verifications_account_idx\` on \`deposit_verifications\` (\`account_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`real_name_records\` (\`id\` text not null, \`account_id\` bigint not null, \`kind\` text check (\`kind\` in ('personal', 'enterprise')) not null, \`name\` text not null, \`certificate_number\` text not null, \`method\` text check (\`method\` in ('deposit', 'official_account', 'recharge', 'face')) not null, \`source_id\` text null, \`verified_at\` datetime not null, \`superseded_at\` datetime null, constraint \`real_name_records_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`real_name_records_account_id_index\` on \`real_name_records\` (\`account_id\`);`,
    );
    this.addSql(
      `create index \`real_name_records_certificate_idx\` on \`real_name_records\` (\`kind\`, \`certificate_number\`, \`superseded_at\`);`,
    );
    this.addSql(
      `create index \`real_name_records_account_idx\` on \`real_name_records\` (\`account_id\`, \`superseded_at\`);`,
    );

    this.addSql(
      `create table \`sandbox_bank_transfers\` (\`reference\` text not null, \`idempotency_key\` text not null, \`account_number\` text not null, \`account_holder\` text not null, \`amount_fen\` integer not null, \`status\` text check (\`status\` in ('in_transit', 'landed', 'undeliverable')) not null, \`created_at\` datetime not null, \`lands_at\` datetime null, \`landed_at\` datetime null, \`webhook_delivered_at\` datetime null, \`webhook_attempts\` integer not null default 0, \`next_webhook_at\` datetime null, \`last_webhook_error\` text null, primary key (\`reference\`));`,
    );
    this.addSql(
      `create unique index \`sandbox_bank_transfers_idempotency_key_unique\` on \`sandbox_bank_transfers\` (\`idempotency_key\`);`,
    );
    this.addSql(
      `create index \`sandbox_bank_transfers_account_idx\` on \`sandbox_bank_transfers\` (\`account_number\`);`,
    );
    this.addSql(
      `create index \`sandbox_bank_transfers_due_idx\` on \`sandbox_bank_transfers\` (\`status\`, \`lands_at\`);`,
    );

    this.addSql(
      `create table \`sessions\` (\`id\` text not null, \`account_id\` bigint not null, \`token_hash\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`revoked_at\` datetime null, \`ip\` text null, \`user_agent\` text null, constraint \`sessions_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create unique index \`sessions_token_hash_unique\` on \`sessions\` (\`token_hash\`);`);
    this.addSql(`create index \`sessions_account_idx\` on \`sessions\` (\`account_id\`);`);
  }
}
