import { Migration } from '@mikro-orm/migrations';

export class Migration20261201190100_account_cancellation_execution extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "accounts" add column "cancelled_at" timestamptz null;`);

    this.addSql(`alter table "registered_emails" add column "released_at" timestamptz null;`);
    this.addSql(
      `alter table "registered_emails" alter column "account_id" type bigint using ("account_id"::bigint);`,
    );
    this.addSql(`alter table "registered_emails" alter column "account_id" drop not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "accounts" drop column "cancelled_at";`);

    this.addSql(`alter table "registered_emails" drop column "released_at";`);

    this.addSql(
      `alter table "registered_emails" alter column "account_id" type int8 using ("account_id"::int8);`,
    );
    this.addSql(`alter table "registered_emails" alter column "account_id" set not null;`);
  }
}
