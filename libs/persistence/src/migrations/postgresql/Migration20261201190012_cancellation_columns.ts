import { Migration } from '@mikro-orm/migrations';

export class Migration20261201190012_cancellation_columns extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "accounts" add column "security_contact_changed_at" timestamptz null;`);

    this.addSql(`alter table "account_cancellations" add column "result_notified_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "account_cancellations" drop column "result_notified_at";`);

    this.addSql(`alter table "accounts" drop column "security_contact_changed_at";`);
  }
}
