import { Migration } from '@mikro-orm/migrations';

export class Migration20261126213248_bank_account_number_sealed extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "deposit_verifications" alter column "bank_account_number" type varchar(160) using ("bank_account_number"::varchar(160));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "deposit_verifications" alter column "bank_account_number" type varchar(40) using ("bank_account_number"::varchar(40));`,
    );
  }
}
