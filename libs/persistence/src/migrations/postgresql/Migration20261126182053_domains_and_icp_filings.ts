import { Migration } from '@mikro-orm/migrations';

export class Migration20261126182053_domains_and_icp_filings extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "account_domains" ("id" varchar(26) not null, "account_id" bigint not null, "name" varchar(253) not null, "created_at" timestamptz not null, constraint "account_domains_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "account_domains" add constraint "account_domains_name_unique" unique ("name");`,
    );
    this.addSql(`create index "account_domains_account_idx" on "account_domains" ("account_id");`);

    this.addSql(
      `create table "icp_filings" ("id" varchar(26) not null, "account_id" bigint not null, "filing_number" varchar(64) not null, "created_at" timestamptz not null, constraint "icp_filings_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "icp_filings" add constraint "icp_filings_number_unique" unique ("filing_number");`,
    );
    this.addSql(`create index "icp_filings_account_idx" on "icp_filings" ("account_id");`);

    this.addSql(
      `alter table "account_domains" add constraint "account_domains_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "icp_filings" add constraint "icp_filings_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "deposit_verifications" drop constraint if exists "deposit_verifications_status_check";`,
    );

    this.addSql(
      `alter table "deposit_verifications" add constraint "deposit_verifications_status_check" check("status" in ('payout_pending', 'awaiting_amount', 'verified', 'failed', 'expired', 'payout_not_received', 'withdrawn', 'cancelled'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "account_domains" cascade;`);

    this.addSql(`drop table if exists "icp_filings" cascade;`);

    this.addSql(
      `alter table "deposit_verifications" drop constraint if exists "deposit_verifications_status_check";`,
    );

    this.addSql(
      `alter table "deposit_verifications" add constraint "deposit_verifications_status_check" check("status" in ('payout_pending', 'awaiting_amount', 'verified', 'failed', 'expired', 'payout_not_received', 'withdrawn'));`,
    );
  }
}
