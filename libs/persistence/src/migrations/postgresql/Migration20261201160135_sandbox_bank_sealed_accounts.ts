import { Migration } from '@mikro-orm/migrations';

export class Migration20261201160135_sandbox_bank_sealed_accounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index "sandbox_bank_transfers_account_idx";`);
    this.addSql(
      `alter table "sandbox_bank_transfers" drop column "account_number", drop column "account_holder";`,
    );

    // Transfers made before keep their amounts, dates and webhook state; their account (which
    // SQL cannot hash or seal without the bank's key) is gone with the plaintext, so they no
    // longer appear on a statement. The sandbox bank is a stand-in: nothing real is lost.
    this.addSql(
      `alter table "sandbox_bank_transfers" add column "account_number_hash" varchar(64) not null default '', add column "account_number_sealed" text not null default '', add column "account_holder_sealed" text not null default '';`,
    );
    this.addSql(
      `alter table "sandbox_bank_transfers" alter column "account_number_hash" drop default, alter column "account_number_sealed" drop default, alter column "account_holder_sealed" drop default;`,
    );
    this.addSql(
      `create index "sandbox_bank_transfers_account_hash_idx" on "sandbox_bank_transfers" ("account_number_hash");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "sandbox_bank_transfers_account_hash_idx";`);
    this.addSql(
      `alter table "sandbox_bank_transfers" drop column "account_number_hash", drop column "account_number_sealed", drop column "account_holder_sealed";`,
    );

    this.addSql(
      `alter table "sandbox_bank_transfers" add column "account_number" varchar(40) not null default '', add column "account_holder" varchar(200) not null default '';`,
    );
    this.addSql(
      `create index "sandbox_bank_transfers_account_idx" on "sandbox_bank_transfers" ("account_number");`,
    );
  }
}
