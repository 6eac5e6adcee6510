import { Migration } from '@mikro-orm/migrations';

export class Migration20261126183131_org_users_projects_ledger_assets extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "account_balances" ("account_id" bigint not null, "balance_fen" bigint not null, constraint "account_balances_pkey" primary key ("account_id"));`,
    );

    this.addSql(
      `create table "account_user_quotas" ("account_id" bigint not null, "used" int not null, constraint "account_user_quotas_pkey" primary key ("account_id"));`,
    );

    this.addSql(
      `create table "collaborators" ("id" varchar(26) not null, "root_account_id" bigint not null, "member_id" bigint not null, "permissions" jsonb not null, "status" text check ("status" in ('invited', 'active')) not null default 'invited', "invited_at" timestamptz not null, "accepted_at" timestamptz null, constraint "collaborators_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "collaborators_member_idx" on "collaborators" ("member_id", "status");`);
    this.addSql(
      `alter table "collaborators" add constraint "collaborators_root_member_unique" unique ("root_account_id", "member_id");`,
    );

    this.addSql(
      `create table "complaints" ("id" varchar(26) not null, "complainant_id" bigint null, "respondent_id" bigint null, "subject" varchar(200) not null, "status" text check ("status" in ('open', 'closed')) not null default 'open', "created_at" timestamptz not null, "closed_at" timestamptz null, constraint "complaints_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "complaints_respondent_idx" on "complaints" ("respondent_id", "status");`);
    this.addSql(`create index "complaints_complainant_idx" on "complaints" ("complainant_id", "status");`);

    this.addSql(
      `create table "icp_filing_transfers" ("id" varchar(26) not null, "filing_id" varchar(26) not null, "from_account_id" bigint not null, "to_account_id" bigint not null, "status" text check ("status" in ('pending', 'accepted', 'declined', 'cancelled')) not null default 'pending', "pending_key" varchar(26) null, "created_at" timestamptz not null, "decided_at" timestamptz null, constraint "icp_filing_transfers_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "icp_filing_transfers" add constraint "icp_filing_transfers_pending_unique" unique ("pending_key");`,
    );
    this.addSql(
      `create index "icp_filing_transfers_from_idx" on "icp_filing_transfers" ("from_account_id", "status");`,
    );
    this.addSql(
      `create index "icp_filing_transfers_to_idx" on "icp_filing_transfers" ("to_account_id", "status");`,
    );

    this.addSql(
      `create table "message_receivers" ("id" varchar(26) not null, "account_id" bigint not null, "name" varchar(100) not null, "email" varchar(254) null, "phone" varchar(32) null, "created_at" timestamptz not null, constraint "message_receivers_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "message_receivers_account_idx" on "message_receivers" ("account_id");`);

    this.addSql(
      `create table "projects" ("id" varchar(26) not null, "account_id" bigint not null, "name" varchar(64) not null, "name_key" varchar(64) not null, "description" varchar(500) not null default '', "status" text check ("status" in ('active', 'disabled')) not null default 'active', "disabled_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "projects_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "projects" add constraint "projects_account_name_unique" unique ("account_id", "name_key");`,
    );

    this.addSql(
      `create table "owed_amounts" ("id" varchar(26) not null, "account_id" bigint not null, "project_id" varchar(26) null, "description" varchar(200) not null, "amount_fen" bigint not null, "settled_at" timestamptz null, "created_at" timestamptz not null, constraint "owed_amounts_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "owed_amounts_account_idx" on "owed_amounts" ("account_id", "settled_at");`);

    this.addSql(
      `create table "orders" ("id" varchar(26) not null, "account_id" bigint not null, "project_id" varchar(26) null, "description" varchar(200) not null, "amount_fen" bigint not null, "status" text check ("status" in ('unpaid', 'in_progress', 'complete')) not null default 'unpaid', "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "orders_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "orders_project_idx" on "orders" ("project_id");`);
    this.addSql(`create index "orders_account_idx" on "orders" ("account_id", "status");`);

    this.addSql(
      `create table "ledger_entries" ("id" varchar(26) not null, "account_id" bigint not null, "kind" text check ("kind" in ('recharge', 'withdrawal', 'charge', 'refund')) not null, "amount_fen" bigint not null, "project_id" varchar(26) null, "description" varchar(200) not null, "reference" varchar(80) null, "created_at" timestamptz not null, constraint "ledger_entries_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "ledger_entries_project_idx" on "ledger_entries" ("project_id");`);
    this.addSql(
      `create index "ledger_entries_account_idx" on "ledger_entries" ("account_id", "created_at");`,
    );

    this.addSql(
      `create table "cloud_resources" ("id" varchar(26) not null, "account_id" bigint not null, "project_id" varchar(26) null, "type" varchar(32) not null, "name" varchar(128) not null, "status" text check ("status" in ('running', 'stopped', 'released')) not null default 'running', "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "cloud_resources_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "cloud_resources_project_idx" on "cloud_resources" ("project_id", "status");`);
    this.addSql(`create index "cloud_resources_account_idx" on "cloud_resources" ("account_id", "status");`);

    this.addSql(
      `create table "sub_users" ("id" varchar(26) not null, "account_id" bigint not null, "username" varchar(64) not null, "display_name" varchar(100) null, "password_hash" varchar(255) not null, "permissions" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "sub_users_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "sub_users_username_idx" on "sub_users" ("username");`);
    this.addSql(
      `alter table "sub_users" add constraint "sub_users_account_username_unique" unique ("account_id", "username");`,
    );

    this.addSql(
      `create table "vouchers" ("id" varchar(26) not null, "account_id" bigint not null, "description" varchar(200) not null, "amount_fen" bigint not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, constraint "vouchers_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "vouchers_account_idx" on "vouchers" ("account_id");`);

    this.addSql(
      `alter table "collaborators" add constraint "collaborators_root_account_id_foreign" foreign key ("root_account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "collaborators" add constraint "collaborators_member_id_foreign" foreign key ("member_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "complaints" add constraint "complaints_complainant_id_foreign" foreign key ("complainant_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "complaints" add constraint "complaints_respondent_id_foreign" foreign key ("respondent_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "icp_filing_transfers" add constraint "icp_filing_transfers_filing_id_foreign" foreign key ("filing_id") references "icp_filings" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "icp_filing_transfers" add constraint "icp_filing_transfers_from_account_id_foreign" foreign key ("from_account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "icp_filing_transfers" add constraint "icp_filing_transfers_to_account_id_foreign" foreign key ("to_account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "message_receivers" add constraint "message_receivers_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "projects" add constraint "projects_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "owed_amounts" add constraint "owed_amounts_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "owed_amounts" add constraint "owed_amounts_project_id_foreign" foreign key ("project_id") references "projects" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "orders" add constraint "orders_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_project_id_foreign" foreign key ("project_id") references "projects" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "ledger_entries" add constraint "ledger_entries_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "ledger_entries" add constraint "ledger_entries_project_id_foreign" foreign key ("project_id") references "projects" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "cloud_resources" add constraint "cloud_resources_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "cloud_resources" add constraint "cloud_resources_project_id_foreign" foreign key ("project_id") references "projects" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "sub_users" add constraint "sub_users_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "vouchers" add constraint "vouchers_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "sessions" add column "sub_user_id" varchar(26) null;`);
    this.addSql(
      `alter table "sessions" add constraint "sessions_sub_user_id_foreign" foreign key ("sub_user_id") references "sub_users" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "owed_amounts" drop constraint "owed_amounts_project_id_foreign";`);

    this.addSql(`alter table "orders" drop constraint "orders_project_id_foreign";`);

    this.addSql(`alter table "ledger_entries" drop constraint "ledger_entries_project_id_foreign";`);

    this.addSql(`alter table "cloud_resources" drop constraint "cloud_resources_project_id_foreign";`);

    this.addSql(`alter table "sessions" drop constraint "sessions_sub_user_id_foreign";`);

    this.addSql(`drop table if exists "account_balances" cascade;`);

    this.addSql(`drop table if exists "account_user_quotas" cascade;`);

    this.addSql(`drop table if exists "collaborators" cascade;`);

    this.addSql(`drop table if exists "complaints" cascade;`);

    this.addSql(`drop table if exists "icp_filing_transfers" cascade;`);

    this.addSql(`drop table if exists "message_receivers" cascade;`);

    this.addSql(`drop table if exists "projects" cascade;`);

    this.addSql(`drop table if exists "owed_amounts" cascade;`);

    this.addSql(`drop table if exists "orders" cascade;`);

    this.addSql(`drop table if exists "ledger_entries" cascade;`);

    this.addSql(`drop table if exists "cloud_resources" cascade;`);

    this.addSql(`drop table if exists "sub_users" cascade;`);

    this.addSql(`drop table if exists "vouchers" cascade;`);

    this.addSql(`alter table "sessions" drop column "sub_user_id";`);
  }
}
