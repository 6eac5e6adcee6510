import { Migration } from '@mikro-orm/migrations';

export class Migration20261126194204_sub_user_mfa extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "mfa_devices" add column "sub_user_id" varchar(26) null;`);
    this.addSql(
      `alter table "mfa_devices" add constraint "mfa_devices_sub_user_id_foreign" foreign key ("sub_user_id") references "sub_users" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`create index "mfa_devices_sub_user_idx" on "mfa_devices" ("sub_user_id", "removed_at");`);

    this.addSql(`alter table "mfa_challenges" add column "sub_user_id" varchar(26) null;`);
    this.addSql(
      `alter table "mfa_challenges" add constraint "mfa_challenges_sub_user_id_foreign" foreign key ("sub_user_id") references "sub_users" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "mfa_challenges" drop constraint "mfa_challenges_sub_user_id_foreign";`);

    this.addSql(`alter table "mfa_devices" drop constraint "mfa_devices_sub_user_id_foreign";`);

    this.addSql(`alter table "mfa_challenges" drop column "sub_user_id";`);

    this.addSql(`drop index "mfa_devices_sub_user_idx";`);
    this.addSql(`alter table "mfa_devices" drop column "sub_user_id";`);
  }
}
