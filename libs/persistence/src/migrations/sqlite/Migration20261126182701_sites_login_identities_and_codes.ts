import { Migration } from '@mikro-orm/migrations';

export class Migration20261126182701_sites_login_identities_and_codes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`login_identities\` (\`id\` text not null, \`account_id\` bigint not null, \`site\` text check (\`site\` in ('cn', 'intl')) not null, \`kind\` text check (\`kind\` in ('email', 'qq', 'wechat', 'wechat_oa')) not null, \`subject\` text not null, \`unique_key\` text not null, \`role\` text check (\`role\` in ('registration', 'associated')) not null, \`display_name\` text null, \`created_at\` datetime not null, constraint \`login_identities_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`login_identities_account_idx\` on \`login_identities\` (\`account_id\`);`);
    this.addSql(
      `create index \`login_identities_lookup_idx\` on \`login_identities\` (\`site\`, \`kind\`, \`subject\`);`,
    );
    this.addSql(
      `create unique index \`login_identities_site_unique_key_unique\` on \`login_identities\` (\`site\`, \`unique_key\`);`,
    );

    this.addSql(
      `create table \`phone_bind_counts\` (\`key\` text not null, \`bound\` integer not null, primary key (\`key\`));`,
    );

    this.addSql(
      `create table \`rate_limit_hits\` (\`id\` text not null, \`bucket\` text not null, \`client_key\` text not null, \`at\` datetime not null, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`rate_limit_hits_window_idx\` on \`rate_limit_hits\` (\`bucket\`, \`client_key\`, \`at\`);`,
    );

    this.addSql(
      `create table \`registered_emails\` (\`id\` text not null, \`site\` text check (\`site\` in ('cn', 'intl')) not null, \`email\` text not null, \`account_id\` bigint not null, \`registered_at\` datetime not null, primary key (\`id\`));`,
    );
    this.addSql(
      `create unique index \`registered_emails_site_email_unique\` on \`registered_emails\` (\`site\`, \`email\`);`,
    );

    this.addSql(
      `create table \`sandbox_outbox_messages\` (\`id\` text not null, \`channel\` text check (\`channel\` in ('sms', 'email')) not null, \`recipient\` text not null, \`subject\` text not null, \`body\` text not null, \`created_at\` datetime not null, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`sandbox_outbox_messages_to_idx\` on \`sandbox_outbox_messages\` (\`recipient\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`sign_in_selection_tickets\` (\`id\` text not null, \`token_hash\` text not null, \`site\` text check (\`site\` in ('cn', 'intl')) not null, \`provider\` text not null, \`account_ids\` text not null, \`ip\` text null, \`expires_at\` datetime not null, \`used_at\` datetime null, primary key (\`id\`));`,
    );
    this.addSql(
      `create unique index \`sign_in_selection_tickets_token_hash_unique\` on \`sign_in_selection_tickets\` (\`token_hash\`);`,
    );

    this.addSql(
      `create table \`verification_codes\` (\`id\` text not null, \`site\` text check (\`site\` in ('cn', 'intl')) not null, \`purpose\` text not null, \`channel\` text check (\`channel\` in ('sms', 'email')) not null, \`destination\` text not null, \`account_id\` bigint null, \`code_hash\` text not null, \`attempts\` integer not null default 0, \`sent_at\` datetime not null, \`expires_at\` datetime not null, \`consumed_at\` datetime null, \`superseded_at\` datetime null, \`proof_hash\` text null, \`proof_expires_at\` datetime null, \`proof_used_at\` datetime null, primary key (\`id\`));`,
    );
    this.addSql(
      `create unique index \`verification_codes_proof_hash_unique\` on \`verification_codes\` (\`proof_hash\`);`,
    );
    this.addSql(
      `create index \`verification_codes_account_idx\` on \`verification_codes\` (\`account_id\`, \`purpose\`);`,
    );
    this.addSql(
      `create index \`verification_codes_destination_idx\` on \`verification_codes\` (\`site\`, \`purpose\`, \`destination\`, \`sent_at\`);`,
    );

    this.addSql(`drop index \`accounts_email_unique\`;`);
    // Hand-added: the SQLite diff misses that `email` became nullable (third-party sign-ups have
    // none). Swap the column in place instead of rebuilding `accounts`, whose DROP TABLE would
    // cascade to `sessions` inside the migration's transaction.
    this.addSql(`alter table \`accounts\` add column \`email_nullable\` text null;`);
    this.addSql(`update \`accounts\` set \`email_nullable\` = \`email\`;`);
    this.addSql(`alter table \`accounts\` drop column \`email\`;`);
    this.addSql(`alter table \`accounts\` rename column \`email_nullable\` to \`email\`;`);

    this.addSql(
      `alter table \`accounts\` add column \`site\` text check (\`site\` in ('cn', 'intl')) not null default 'cn';`,
    );
    this.addSql(
      `alter table \`accounts\` add column \`account_type\` text check (\`account_type\` in ('personal', 'enterprise')) not null default 'personal';`,
    );
    this.addSql(
      `alter table \`accounts\` add column \`sign_up_method\` text check (\`sign_up_method\` in ('email', 'qq', 'wechat', 'wechat_oa')) not null default 'email';`,
    );
    this.addSql(`alter table \`accounts\` add column \`security_phone\` text null;`);
    this.addSql(`alter table \`accounts\` add column \`security_email\` text null;`);
    this.addSql(
      `create index \`accounts_site_security_phone_idx\` on \`accounts\` (\`site\`, \`security_phone\`);`,
    );
    this.addSql(`create unique index \`accounts_site_email_unique\` on \`accounts\` (\`site\`, \`email\`);`);

    this.addSql(`pragma foreign_keys = off;`);
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
