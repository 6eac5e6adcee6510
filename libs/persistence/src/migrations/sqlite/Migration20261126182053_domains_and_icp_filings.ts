import { Migration } from '@mikro-orm/migrations';

export class Migration20261126182053_domains_and_icp_filings extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`account_domains\` (\`id\` text not null, \`account_id\` bigint not null, \`name\` text not null, \`created_at\` datetime not null, constraint \`account_domains_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create unique index \`account_domains_name_unique\` on \`account_domains\` (\`name\`);`);
    this.addSql(`create index \`account_domains_account_idx\` on \`account_domains\` (\`account_id\`);`);

    this.addSql(
      `create table \`icp_filings\` (\`id\` text not null, \`account_id\` bigint not null, \`filing_number\` text not null, \`created_at\` datetime not null, constraint \`icp_filings_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create unique index \`icp_filings_number_unique\` on \`icp_filings\` (\`filing_number\`);`);
    this.addSql(`create index \`icp_filings_account_idx\` on \`icp_filings\` (\`account_id\`);`);

    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`accounts__temp_alter\` (\`id\` bigint not null, \`email\` text not null, \`password_hash\` text not null, \`password_changed_at\` datetime null, \`status\` text check (\`status\` in ('active', 'cancelled')) not null default 'active', \`real_name_status\` text check (\`real_name_status\` in ('unverified', 'personal', 'enterprise')) not null default 'unverified', \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`,
    );
    this.addSql(
      `insert into \`accounts__temp_alter\` select \`id\`, \`email\`, \`password_hash\`, \`password_changed_at\`, \`status\`, \`real_name_status\`, \`created_at\`, \`updated_at\` from \`accounts\`;`,
    );
    this.addSql(`drop table \`accounts\`;`);
    this.addSql(`alter table \`accounts__temp_alter\` rename to \`accounts\`;`);
    this.addSql(`create unique index \`accounts_email_unique\` on \`accounts\` (\`email\`);`);
    this.addSql(`create index \`accounts_status_idx\` on \`accounts\` (\`status\`);`);
    this.addSql(`pragma foreign_keys = on;pragma foreign_keys = off;`);
    this.addSql(
      `create table \`deposit_verifications__temp_alter\` (\`id\` text not null, \`account_id\` bigint not null, \`enterprise_name\` text not null, \`licence_number\` text not null, \`bank_account_holder\` text not null, \`bank_name\` text not null, \`bank_account_number\` text not null, \`masked_account_number\` text not null, \`workflow_id\` text not null, \`run_id\` text null, \`status\` text check (\`status\` in ('payout_pending', 'awaiting_amount', 'verified', 'failed', 'expired', 'payout_not_received', 'withdrawn', 'cancelled')) not null default 'payout_pending', \`attempts_left\` integer not null default 2, \`payout_requested_at\` datetime null, \`landed_at\` datetime null, \`deadline\` datetime null, \`appeal_available_from\` datetime null, \`closed_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`deposit_verifications_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `insert into \`deposit_verifications__temp_alter\` select \`id\`, \`account_id\`, \`enterprise_name\`, \`licence_number\`, \`bank_account_holder\`, \`bank_name\`, \`bank_account_number\`, \`masked_account_number\`, \`workflow_id\`, \`run_id\`, \`status\`, \`attempts_left\`, \`payout_requested_at\`, \`landed_at\`, \`deadline\`, \`appeal_available_from\`, \`closed_at\`, \`created_at\`, \`updated_at\` from \`deposit_verifications\`;`,
    );
    this.addSql(`drop table \`deposit_verifications\`;`);
    this.addSql(`alter table \`deposit_verifications__temp_alter\` rename to \`deposit_verifications\`;`);
    this.addSql(
      `create index \`deposit_verifications_account_id_index\` on \`deposit_verifications\` (\`account_id\`);`,
    );
    this.addSql(
      `create index \`deposit_verifications_account_idx\` on \`deposit_verifications\` (\`account_id\`, \`created_at\`);`,
    );
    this.addSql(`pragma foreign_keys = on;pragma foreign_keys = off;`);
    this.addSql(
      `create table \`real_name_records__temp_alter\` (\`id\` text not null, \`account_id\` bigint not null, \`kind\` text check (\`kind\` in ('personal', 'enterprise')) not null, \`name\` text not null, \`certificate_number\` text not null, \`method\` text check (\`method\` in ('deposit', 'official_account', 'recharge', 'face')) not null, \`source_id\` text null, \`verified_at\` datetime not null, \`superseded_at\` datetime null, constraint \`real_name_records_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `insert into \`real_name_records__temp_alter\` select \`id\`, \`account_id\`, \`kind\`, \`name\`, \`certificate_number\`, \`method\`, \`source_id\`, \`verified_at\`, \`superseded_at\` from \`real_name_records\`;`,
    );
    this.addSql(`drop table \`real_name_records\`;`);
    this.addSql(`alter table \`real_name_records__temp_alter\` rename to \`real_name_records\`;`);
    this.addSql(
      `create index \`real_name_records_account_id_index\` on \`real_name_records\` (\`account_id\`);`,
    );
    this.addSql(
      `create index \`real_name_records_certificate_idx\` on \`real_name_records\` (\`kind\`, \`certificate_number\`, \`superseded_at\`);`,
    );
    this.addSql(
      `create index \`real_name_records_account_idx\` on \`real_name_records\` (\`account_id\`, \`superseded_at\`);`,
    );
    this.addSql(`pragma foreign_keys = on;pragma foreign_keys = off;`);
    this.addSql(
      `create table \`sandbox_bank_transfers__temp_alter\` (\`reference\` text not null, \`idempotency_key\` text not null, \`account_number\` text not null, \`account_holder\` text not null, \`amount_fen\` integer not null, \`status\` text check (\`status\` in ('in_transit', 'landed', 'undeliverable')) not null, \`created_at\` datetime not null, \`lands_at\` datetime null, \`landed_at\` datetime null, \`webhook_delivered_at\` datetime null, \`webhook_attempts\` integer not null default 0, \`next_webhook_at\` datetime null, \`last_webhook_error\` text null, primary key (\`reference\`));`,
    );
    this.addSql(
      `insert into \`sandbox_bank_transfers__temp_alter\` select \`reference\`, \`idempotency_key\`, \`account_number\`, \`account_holder\`, \`amount_fen\`, \`status\`, \`created_at\`, \`lands_at\`, \`landed_at\`, \`webhook_delivered_at\`, \`webhook_attempts\`, \`next_webhook_at\`, \`last_webhook_error\` from \`sandbox_bank_transfers\`;`,
    );
    this.addSql(`drop table \`sandbox_bank_transfers\`;`);
    this.addSql(`alter table \`sandbox_bank_transfers__temp_alter\` rename to \`sandbox_bank_transfers\`;`);
    this.addSql(
      `create unique index \`sandbox_bank_transfers_idempotency_key_unique\` on \`sandbox_bank_transfers\` (\`idempotency_key\`);`,
    );
    this.addSql(
      `create index \`sandbox_bank_transfers_account_idx\` on \`sandbox_bank_transfers\` (\`account_number\`);`,
    );
    this.addSql(
      `create index \`sandbox_bank_transfers_due_idx\` on \`sandbox_bank_transfers\` (\`status\`, \`lands_at\`);`,
    );
    this.addSql(`pragma foreign_keys = on;`);
  }
}
