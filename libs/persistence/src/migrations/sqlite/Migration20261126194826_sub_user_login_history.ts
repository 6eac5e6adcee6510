import { Migration } from '@mikro-orm/migrations';

export class Migration20261126194826_sub_user_login_history extends Migration {
  override async up(): Promise<void> {
    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`accounts__temp_alter\` (\`id\` bigint not null, \`email\` text null, \`site\` text check (\`site\` in ('cn', 'intl')) not null default 'cn', \`account_type\` text check (\`account_type\` in ('personal', 'enterprise')) not null default 'personal', \`sign_up_method\` text check (\`sign_up_method\` in ('email', 'qq', 'wechat', 'wechat_oa')) not null default 'email', \`security_phone\` text null, \`security_email\` text null, \`password_hash\` text not null, \`password_changed_at\` datetime null, \`status\` text check (\`status\` in ('active', 'cancelled')) not null default 'active', \`real_name_status\` text check (\`real_name_status\` in ('unverified', 'personal', 'enterprise')) not null default 'unverified', \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`,
    );
    this.addSql(
      `insert into \`accounts__temp_alter\` select \`id\`, \`email\`, \`site\`, \`account_type\`, \`sign_up_method\`, \`security_phone\`, \`security_email\`, \`password_hash\`, \`password_changed_at\`, \`status\`, \`real_name_status\`, \`created_at\`, \`updated_at\` from \`accounts\`;`,
    );
    this.addSql(`drop table \`accounts\`;`);
    this.addSql(`alter table \`accounts__temp_alter\` rename to \`accounts\`;`);
    this.addSql(`create index \`accounts_status_idx\` on \`accounts\` (\`status\`);`);
    this.addSql(
      `create index \`accounts_site_security_phone_idx\` on \`accounts\` (\`site\`, \`security_phone\`);`,
    );
    this.addSql(`create unique index \`accounts_site_email_unique\` on \`accounts\` (\`site\`, \`email\`);`);
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
      `create table \`icp_filing_transfers__temp_alter\` (\`id\` text not null, \`filing_id\` text not null, \`from_account_id\` bigint not null, \`to_account_id\` bigint not null, \`status\` text check (\`status\` in ('pending', 'accepted', 'declined', 'cancelled')) not null default 'pending', \`pending_key\` text null, \`created_at\` datetime not null, \`decided_at\` datetime null, constraint \`icp_filing_transfers_filing_id_foreign\` foreign key(\`filing_id\`) references \`icp_filings\`(\`id\`) on delete cascade on update cascade, constraint \`icp_filing_transfers_from_account_id_foreign\` foreign key(\`from_account_id\`) references \`accounts\`(\`id\`) on delete cascade on update cascade, constraint \`icp_filing_transfers_to_account_id_foreign\` foreign key(\`to_account_id\`) references \`accounts\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `insert into \`icp_filing_transfers__temp_alter\` select \`id\`, \`filing_id\`, \`from_account_id\`, \`to_account_id\`, \`status\`, \`pending_key\`, \`created_at\`, \`decided_at\` from \`icp_filing_transfers\`;`,
    );
    this.addSql(`drop table \`icp_filing_transfers\`;`);
    this.addSql(`alter table \`icp_filing_transfers__temp_alter\` rename to \`icp_filing_transfers\`;`);
    this.addSql(
      `create index \`icp_filing_transfers_filing_id_index\` on \`icp_filing_transfers\` (\`filing_id\`);`,
    );
    this.addSql(
      `create index \`icp_filing_transfers_from_account_id_index\` on \`icp_filing_transfers\` (\`from_account_id\`);`,
    );
    this.addSql(
      `create index \`icp_filing_transfers_to_account_id_index\` on \`icp_filing_transfers\` (\`to_account_id\`);`,
    );
    this.addSql(
      `create unique index \`icp_filing_transfers_pending_unique\` on \`icp_filing_transfers\` (\`pending_key\`);`,
    );
    this.addSql(
      `create index \`icp_filing_transfers_from_idx\` on \`icp_filing_transfers\` (\`from_account_id\`, \`status\`);`,
    );
    this.addSql(
      `create index \`icp_filing_transfers_to_idx\` on \`icp_filing_transfers\` (\`to_account_id\`, \`status\`);`,
    );
    this.addSql(`pragma foreign_keys = on;pragma foreign_keys = off;`);
    this.addSql(
      `create table \`login_identities__temp_alter\` (\`id\` text not null, \`account_id\` bigint not null, \`site\` text check (\`site\` in ('cn', 'intl')) not null, \`kind\` text check (\`kind\` in ('email', 'qq', 'wechat', 'wechat_oa')) not null, \`subject\` text not null, \`unique_key\` text not null, \`role\` text check (\`role\` in ('registration', 'associated')) not null, \`display_name\` text null, \`created_at\` datetime not null, constraint \`login_identities_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `insert into \`login_identities__temp_alter\` select \`id\`, \`account_id\`, \`site\`, \`kind\`, \`subject\`, \`unique_key\`, \`role\`, \`display_name\`, \`created_at\` from \`login_identities\`;`,
    );
    this.addSql(`drop table \`login_identities\`;`);
    this.addSql(`alter table \`login_identities__temp_alter\` rename to \`login_identities\`;`);
    this.addSql(`create index \`login_identities_account_idx\` on \`login_identities\` (\`account_id\`);`);
    this.addSql(
      `create index \`login_identities_lookup_idx\` on \`login_identities\` (\`site\`, \`kind\`, \`subject\`);`,
    );
    this.addSql(
      `create unique index \`login_identities_site_unique_key_unique\` on \`login_identities\` (\`site\`, \`unique_key\`);`,
    );
    this.addSql(`pragma foreign_keys = on;pragma foreign_keys = off;`);
    this.addSql(
      `create table \`orders__temp_alter\` (\`id\` text not null, \`account_id\` bigint not null, \`project_id\` text null, \`description\` text not null, \`amount_fen\` bigint not null, \`status\` text check (\`status\` in ('unpaid', 'in_progress', 'complete')) not null default 'unpaid', \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`orders_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on delete cascade on update cascade, constraint \`orders_project_id_foreign\` foreign key(\`project_id\`) references \`projects\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `insert into \`orders__temp_alter\` select \`id\`, \`account_id\`, \`project_id\`, \`description\`, \`amount_fen\`, \`status\`, \`created_at\`, \`updated_at\` from \`orders\`;`,
    );
    this.addSql(`drop table \`orders\`;`);
    this.addSql(`alter table \`orders__temp_alter\` rename to \`orders\`;`);
    this.addSql(`create index \`orders_account_id_index\` on \`orders\` (\`account_id\`);`);
    this.addSql(`create index \`orders_project_idx\` on \`orders\` (\`project_id\`);`);
    this.addSql(`create index \`orders_account_idx\` on \`orders\` (\`account_id\`, \`status\`);`);
    this.addSql(`pragma foreign_keys = on;pragma foreign_keys = off;`);
    this.addSql(
      `create table \`ledger_entries__temp_alter\` (\`id\` text not null, \`account_id\` bigint not null, \`kind\` text check (\`kind\` in ('recharge', 'withdrawal', 'charge', 'refund')) not null, \`amount_fen\` bigint not null, \`project_id\` text null, \`description\` text not null, \`reference\` text null, \`created_at\` datetime not null, constraint \`ledger_entries_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on delete cascade on update cascade, constraint \`ledger_entries_project_id_foreign\` foreign key(\`project_id\`) references \`projects\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `insert into \`ledger_entries__temp_alter\` select \`id\`, \`account_id\`, \`kind\`, \`amount_fen\`, \`project_id\`, \`description\`, \`reference\`, \`created_at\` from \`ledger_entries\`;`,
    );
    this.addSql(`drop table \`ledger_entries\`;`);
    this.addSql(`alter table \`ledger_entries__temp_alter\` rename to \`ledger_entries\`;`);
    this.addSql(`create index \`ledger_entries_account_id_index\` on \`ledger_entries\` (\`account_id\`);`);
    this.addSql(`create index \`ledger_entries_project_idx\` on \`ledger_entries\` (\`project_id\`);`);
    this.addSql(
      `create index \`ledger_entries_account_idx\` on \`ledger_entries\` (\`account_id\`, \`created_at\`);`,
    );
    this.addSql(`pragma foreign_keys = on;pragma foreign_keys = off;`);
    this.addSql(
      `create table \`cloud_resources__temp_alter\` (\`id\` text not null, \`account_id\` bigint not null, \`project_id\` text null, \`type\` text not null, \`name\` text not null, \`status\` text check (\`status\` in ('running', 'stopped', 'released')) not null default 'running', \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`cloud_resources_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on delete cascade on update cascade, constraint \`cloud_resources_project_id_foreign\` foreign key(\`project_id\`) references \`projects\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `insert into \`cloud_resources__temp_alter\` select \`id\`, \`account_id\`, \`project_id\`, \`type\`, \`name\`, \`status\`, \`created_at\`, \`updated_at\` from \`cloud_resources\`;`,
    );
    this.addSql(`drop table \`cloud_resources\`;`);
    this.addSql(`alter table \`cloud_resources__temp_alter\` rename to \`cloud_resources\`;`);
    this.addSql(`create index \`cloud_resources_account_id_index\` on \`cloud_resources\` (\`account_id\`);`);
    this.addSql(`create index \`cloud_resources_project_id_index\` on \`cloud_resources\` (\`project_id\`);`);
    this.addSql(
      `create index \`cloud_resources_project_idx\` on \`cloud_resources\` (\`project_id\`, \`status\`);`,
    );
    this.addSql(
      `create index \`cloud_resources_account_idx\` on \`cloud_resources\` (\`account_id\`, \`status\`);`,
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
    this.addSql(`pragma foreign_keys = on;pragma foreign_keys = off;`);
    this.addSql(
      `create table \`staff_members__temp_alter\` (\`id\` text not null, \`email\` text not null, \`role\` text check (\`role\` in ('reviewer', 'senior_reviewer', 'operator')) not null, \`password_hash\` text not null, \`totp_secret_encrypted\` text not null, \`last_used_step\` integer null, \`created_at\` datetime not null, \`disabled_at\` datetime null, primary key (\`id\`));`,
    );
    this.addSql(
      `insert into \`staff_members__temp_alter\` select \`id\`, \`email\`, \`role\`, \`password_hash\`, \`totp_secret_encrypted\`, \`last_used_step\`, \`created_at\`, \`disabled_at\` from \`staff_members\`;`,
    );
    this.addSql(`drop table \`staff_members\`;`);
    this.addSql(`alter table \`staff_members__temp_alter\` rename to \`staff_members\`;`);
    this.addSql(`create unique index \`staff_members_email_unique\` on \`staff_members\` (\`email\`);`);
    this.addSql(
      `pragma foreign_keys = on;alter table \`login_events\` add column \`sub_user_id\` text null constraint \`login_events_sub_user_id_foreign\` references \`sub_users\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(`create index \`login_events_sub_user_id_index\` on \`login_events\` (\`sub_user_id\`);`);
    this.addSql(`create index \`login_events_sub_user_idx\` on \`login_events\` (\`sub_user_id\`, \`at\`);`);
  }
}
