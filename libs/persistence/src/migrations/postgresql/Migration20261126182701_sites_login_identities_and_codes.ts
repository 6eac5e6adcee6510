import { Migration } from '@mikro-orm/migrations';

export class Migration20261126182701_sites_login_identities_and_codes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "login_identities" ("id" varchar(26) not null, "account_id" bigint not null, "site" text check ("site" in ('cn', 'intl')) not null, "kind" text check ("kind" in ('email', 'qq', 'wechat', 'wechat_oa')) not null, "subject" varchar(254) not null, "unique_key" varchar(300) not null, "role" text check ("role" in ('registration', 'associated')) not null, "display_name" varchar(100) null, "created_at" timestamptz not null, constraint "login_identities_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "login_identities_account_idx" on "login_identities" ("account_id");`);
    this.addSql(
      `create index "login_identities_lookup_idx" on "login_identities" ("site", "kind", "subject");`,
    );
    this.addSql(
      `alter table "login_identities" add constraint "login_identities_site_unique_key_unique" unique ("site", "unique_key");`,
    );

    this.addSql(
      `create table "phone_bind_counts" ("key" varchar(40) not null, "bound" int not null, constraint "phone_bind_counts_pkey" primary key ("key"));`,
    );

    this.addSql(
      `create table "rate_limit_hits" ("id" varchar(26) not null, "bucket" varchar(40) not null, "client_key" varchar(128) not null, "at" timestamptz not null, constraint "rate_limit_hits_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "rate_limit_hits_window_idx" on "rate_limit_hits" ("bucket", "client_key", "at");`,
    );

    this.addSql(
      `create table "registered_emails" ("id" varchar(26) not null, "site" text check ("site" in ('cn', 'intl')) not null, "email" varchar(254) not null, "account_id" bigint not null, "registered_at" timestamptz not null, constraint "registered_emails_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "registered_emails" add constraint "registered_emails_site_email_unique" unique ("site", "email");`,
    );

    this.addSql(
      `create table "sandbox_outbox_messages" ("id" varchar(26) not null, "channel" text check ("channel" in ('sms', 'email')) not null, "recipient" varchar(254) not null, "subject" varchar(200) not null, "body" text not null, "created_at" timestamptz not null, constraint "sandbox_outbox_messages_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "sandbox_outbox_messages_to_idx" on "sandbox_outbox_messages" ("recipient", "created_at");`,
    );

    this.addSql(
      `create table "sign_in_selection_tickets" ("id" varchar(26) not null, "token_hash" varchar(64) not null, "site" text check ("site" in ('cn', 'intl')) not null, "provider" varchar(16) not null, "account_ids" text not null, "ip" varchar(64) null, "expires_at" timestamptz not null, "used_at" timestamptz null, constraint "sign_in_selection_tickets_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "sign_in_selection_tickets" add constraint "sign_in_selection_tickets_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `create table "verification_codes" ("id" varchar(26) not null, "site" text check ("site" in ('cn', 'intl')) not null, "purpose" varchar(40) not null, "channel" text check ("channel" in ('sms', 'email')) not null, "destination" varchar(254) not null, "account_id" bigint null, "code_hash" varchar(64) not null, "attempts" int not null default 0, "sent_at" timestamptz not null, "expires_at" timestamptz not null, "consumed_at" timestamptz null, "superseded_at" timestamptz null, "proof_hash" varchar(64) null, "proof_expires_at" timestamptz null, "proof_used_at" timestamptz null, constraint "verification_codes_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "verification_codes" add constraint "verification_codes_proof_hash_unique" unique ("proof_hash");`,
    );
    this.addSql(
      `create index "verification_codes_account_idx" on "verification_codes" ("account_id", "purpose");`,
    );
    this.addSql(
      `create index "verification_codes_destination_idx" on "verification_codes" ("site", "purpose", "destination", "sent_at");`,
    );

    this.addSql(
      `alter table "login_identities" add constraint "login_identities_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "accounts" drop constraint "accounts_email_unique";`);

    this.addSql(
      `alter table "accounts" add column "site" text check ("site" in ('cn', 'intl')) not null default 'cn', add column "account_type" text check ("account_type" in ('personal', 'enterprise')) not null default 'personal', add column "sign_up_method" text check ("sign_up_method" in ('email', 'qq', 'wechat', 'wechat_oa')) not null default 'email', add column "security_phone" varchar(20) null, add column "security_email" varchar(254) null;`,
    );
    this.addSql(
      `alter table "accounts" alter column "email" type varchar(254) using ("email"::varchar(254));`,
    );
    this.addSql(`alter table "accounts" alter column "email" drop not null;`);
    this.addSql(`create index "accounts_site_security_phone_idx" on "accounts" ("site", "security_phone");`);
    this.addSql(
      `alter table "accounts" add constraint "accounts_site_email_unique" unique ("site", "email");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "login_identities" cascade;`);

    this.addSql(`drop table if exists "phone_bind_counts" cascade;`);

    this.addSql(`drop table if exists "rate_limit_hits" cascade;`);

    this.addSql(`drop table if exists "registered_emails" cascade;`);

    this.addSql(`drop table if exists "sandbox_outbox_messages" cascade;`);

    this.addSql(`drop table if exists "sign_in_selection_tickets" cascade;`);

    this.addSql(`drop table if exists "verification_codes" cascade;`);

    this.addSql(`drop index "accounts_site_security_phone_idx";`);
    this.addSql(`alter table "accounts" drop constraint "accounts_site_email_unique";`);
    this.addSql(
      `alter table "accounts" drop column "site", drop column "account_type", drop column "sign_up_method", drop column "security_phone", drop column "security_email";`,
    );

    this.addSql(
      `alter table "accounts" alter column "email" type varchar(254) using ("email"::varchar(254));`,
    );
    this.addSql(`alter table "accounts" alter column "email" set not null;`);
    this.addSql(`alter table "accounts" add constraint "accounts_email_unique" unique ("email");`);
  }
}
