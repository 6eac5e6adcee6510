import { Migration } from '@mikro-orm/migrations';

export class Migration20261126183056_sign_in_security_mfa_staff extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`account_mfa_settings\` (\`account_id\` bigint not null, \`login_protection\` integer not null default false, \`operation_protection\` integer not null default false, \`updated_at\` datetime not null, constraint \`account_mfa_settings_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on delete cascade on update cascade, primary key (\`account_id\`));`,
    );

    this.addSql(
      `create table \`login_events\` (\`id\` text not null, \`account_id\` bigint not null, \`at\` datetime not null, \`method\` text not null, \`result\` text not null, \`ip\` text null, \`user_agent\` text null, constraint \`login_events_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`login_events_account_id_index\` on \`login_events\` (\`account_id\`);`);
    this.addSql(`create index \`login_events_account_idx\` on \`login_events\` (\`account_id\`, \`at\`);`);

    this.addSql(
      `create table \`mfa_challenges\` (\`id\` text not null, \`account_id\` bigint not null, \`method\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`failed_attempts\` integer not null default 0, \`completed_at\` datetime null, \`ip\` text null, \`user_agent\` text null, constraint \`mfa_challenges_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`mfa_challenges_account_idx\` on \`mfa_challenges\` (\`account_id\`);`);

    this.addSql(
      `create table \`mfa_devices\` (\`id\` text not null, \`account_id\` bigint not null, \`kind\` text check (\`kind\` in ('virtual', 'hardware')) not null, \`name\` text not null, \`secret_encrypted\` text not null, \`hardware_serial\` text null, \`last_used_step\` integer null, \`created_at\` datetime not null, \`confirmed_at\` datetime null, \`removed_at\` datetime null, \`bound_serial\` text null, constraint \`mfa_devices_account_id_foreign\` foreign key(\`account_id\`) references \`accounts\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`mfa_devices_account_id_index\` on \`mfa_devices\` (\`account_id\`);`);
    this.addSql(
      `create unique index \`mfa_devices_bound_serial_unique\` on \`mfa_devices\` (\`bound_serial\`);`,
    );
    this.addSql(
      `create index \`mfa_devices_account_idx\` on \`mfa_devices\` (\`account_id\`, \`removed_at\`);`,
    );

    this.addSql(
      `create table \`mfa_hardware_tokens\` (\`id\` text not null, \`serial\` text not null, \`seed_encrypted\` text not null, \`registered_by\` text not null, \`registered_at\` datetime not null, primary key (\`id\`));`,
    );
    this.addSql(
      `create unique index \`mfa_hardware_tokens_serial_unique\` on \`mfa_hardware_tokens\` (\`serial\`);`,
    );

    this.addSql(
      `create table \`sandbox_captcha_challenges\` (\`id\` text not null, \`answer\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`used_at\` datetime null, primary key (\`id\`));`,
    );

    this.addSql(
      `create table \`sign_in_failure_days\` (\`id\` text not null, \`subject\` text not null, \`local_date\` text not null, \`failures\` integer not null default 0, \`first_failure_at\` datetime not null, \`locked_until\` datetime null, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`sign_in_failure_days_locked_idx\` on \`sign_in_failure_days\` (\`subject\`, \`locked_until\`);`,
    );
    this.addSql(
      `create unique index \`sign_in_failure_days_subject_day_unique\` on \`sign_in_failure_days\` (\`subject\`, \`local_date\`);`,
    );

    this.addSql(
      `create table \`staff_members\` (\`id\` text not null, \`email\` text not null, \`role\` text check (\`role\` in ('reviewer', 'senior_reviewer', 'operator')) not null, \`password_hash\` text not null, \`totp_secret_encrypted\` text not null, \`last_used_step\` integer null, \`created_at\` datetime not null, \`disabled_at\` datetime null, primary key (\`id\`));`,
    );
    this.addSql(`create unique index \`staff_members_email_unique\` on \`staff_members\` (\`email\`);`);

    this.addSql(
      `create table \`staff_sessions\` (\`id\` text not null, \`staff_id\` text not null, \`token_hash\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`revoked_at\` datetime null, \`ip\` text null, \`user_agent\` text null, constraint \`staff_sessions_staff_id_foreign\` foreign key(\`staff_id\`) references \`staff_members\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(
      `create unique index \`staff_sessions_token_hash_unique\` on \`staff_sessions\` (\`token_hash\`);`,
    );
    this.addSql(`create index \`staff_sessions_staff_idx\` on \`staff_sessions\` (\`staff_id\`);`);

    this.addSql(
      `create table \`step_up_proofs\` (\`id\` text not null, \`session_id\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, constraint \`step_up_proofs_session_id_foreign\` foreign key(\`session_id\`) references \`sessions\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`step_up_proofs_session_id_index\` on \`step_up_proofs\` (\`session_id\`);`);
    this.addSql(
      `create index \`step_up_proofs_session_idx\` on \`step_up_proofs\` (\`session_id\`, \`expires_at\`);`,
    );

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
