import { Migration } from '@mikro-orm/migrations';

export class Migration20261201211558_real_name_records_sealed extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "real_name_records" add column "certificate_sealed" text null, add column "certificate_digest" varchar(64) null;`,
    );
    this.addSql(
      `alter table "real_name_records" alter column "certificate_number" type varchar(64) using ("certificate_number"::varchar(64));`,
    );
    this.addSql(`alter table "real_name_records" alter column "certificate_number" drop not null;`);
    this.addSql(
      `create index "real_name_records_certificate_digest_idx" on "real_name_records" ("kind", "certificate_digest", "superseded_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "real_name_records_certificate_digest_idx";`);
    this.addSql(
      `alter table "real_name_records" drop column "certificate_sealed", drop column "certificate_digest";`,
    );

    this.addSql(
      `alter table "real_name_records" alter column "certificate_number" type varchar(64) using ("certificate_number"::varchar(64));`,
    );
    this.addSql(`alter table "real_name_records" alter column "certificate_number" set not null;`);
  }
}
