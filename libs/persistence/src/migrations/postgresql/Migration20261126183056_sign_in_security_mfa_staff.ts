import { Migration } from '@mikro-orm/migrations';

export class Migration20261126183056_sign_in_security_mfa_staff extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "account_mfa_settings" ("account_id" bigint not null, "login_protection" boolean not null default false, "operation_protection" boolean not null default false, "updated_at" timestamptz not null, constraint "account_mfa_settings_pkey" primary key ("account_id"));`,
    );

    this.addSql(
      `create table "login_events" ("id" varchar(26) not null, "account_id" bigint not null, "at" timestamptz not null, "method" varchar(32) not null, "result" varchar(32) not null, "ip" varchar(64) null, "user_agent" varchar(512) null, constraint "login_events_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "login_events_account_idx" on "login_events" ("account_id", "at");`);

    this.addSql(
      `create table "mfa_challenges" ("id" varchar(26) not null, "account_id" bigint not null, "method" varchar(32) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "failed_attempts" int not null default 0, "completed_at" timestamptz null, "ip" varchar(64) null, "user_agent" varchar(512) null, constraint "mfa_challenges_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "mfa_challenges_account_idx" on "mfa_challenges" ("account_id");`);

    this.addSql(
      `create table "mfa_devices" ("id" varchar(26) not null, "account_id" bigint not null, "kind" text check ("kind" in ('virtual', 'hardware')) not null, "name" varchar(64) not null, "secret_encrypted" text not null, "hardware_serial" varchar(64) null, "last_used_step" int null, "created_at" timestamptz not null, "confirmed_at" timestamptz null, "removed_at" timestamptz null, "bound_serial" varchar(64) null, constraint "mfa_devices_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "mfa_devices" add constraint "mfa_devices_bound_serial_unique" unique ("bound_serial");`,
    );
    this.addSql(`create index "mfa_devices_account_idx" on "mfa_devices" ("account_id", "removed_at");`);

    this.addSql(
      `create table "mfa_hardware_tokens" ("id" varchar(26) not null, "serial" varchar(64) not null, "seed_encrypted" text not null, "registered_by" varchar(26) not null, "registered_at" timestamptz not null, constraint "mfa_hardware_tokens_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "mfa_hardware_tokens" add constraint "mfa_hardware_tokens_serial_unique" unique ("serial");`,
    );

    this.addSql(
      `create table "sandbox_captcha_challenges" ("id" varchar(26) not null, "answer" varchar(16) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "used_at" timestamptz null, constraint "sandbox_captcha_challenges_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "sign_in_failure_days" ("id" varchar(26) not null, "subject" varchar(80) not null, "local_date" varchar(10) not null, "failures" int not null default 0, "first_failure_at" timestamptz not null, "locked_until" timestamptz null, constraint "sign_in_failure_days_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "sign_in_failure_days_locked_idx" on "sign_in_failure_days" ("subject", "locked_until");`,
    );
    this.addSql(
      `alter table "sign_in_failure_days" add constraint "sign_in_failure_days_subject_day_unique" unique ("subject", "local_date");`,
    );

    this.addSql(
      `create table "staff_members" ("id" varchar(26) not null, "email" varchar(254) not null, "role" text check ("role" in ('reviewer', 'senior_reviewer', 'operator')) not null, "password_hash" varchar(255) not null, "totp_secret_encrypted" text not null, "last_used_step" int null, "created_at" timestamptz not null, "disabled_at" timestamptz null, constraint "staff_members_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "staff_members" add constraint "staff_members_email_unique" unique ("email");`);

    this.addSql(
      `create table "staff_sessions" ("id" varchar(26) not null, "staff_id" varchar(26) not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "ip" varchar(64) null, "user_agent" varchar(512) null, constraint "staff_sessions_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "staff_sessions" add constraint "staff_sessions_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(`create index "staff_sessions_staff_idx" on "staff_sessions" ("staff_id");`);

    this.addSql(
      `create table "step_up_proofs" ("id" varchar(26) not null, "session_id" varchar(26) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, constraint "step_up_proofs_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "step_up_proofs_session_idx" on "step_up_proofs" ("session_id", "expires_at");`,
    );

    this.addSql(
      `alter table "account_mfa_settings" add constraint "account_mfa_settings_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "login_events" add constraint "login_events_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "mfa_challenges" add constraint "mfa_challenges_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "mfa_devices" add constraint "mfa_devices_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "staff_sessions" add constraint "staff_sessions_staff_id_foreign" foreign key ("staff_id") references "staff_members" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "step_up_proofs" add constraint "step_up_proofs_session_id_foreign" foreign key ("session_id") references "sessions" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "staff_sessions" drop constraint "staff_sessions_staff_id_foreign";`);

    this.addSql(`drop table if exists "account_mfa_settings" cascade;`);

    this.addSql(`drop table if exists "login_events" cascade;`);

    this.addSql(`drop table if exists "mfa_challenges" cascade;`);

    this.addSql(`drop table if exists "mfa_devices" cascade;`);

    this.addSql(`drop table if exists "mfa_hardware_tokens" cascade;`);

    this.addSql(`drop table if exists "sandbox_captcha_challenges" cascade;`);

    this.addSql(`drop table if exists "sign_in_failure_days" cascade;`);

    this.addSql(`drop table if exists "staff_members" cascade;`);

    this.addSql(`drop table if exists "staff_sessions" cascade;`);

    this.addSql(`drop table if exists "step_up_proofs" cascade;`);
  }
}
