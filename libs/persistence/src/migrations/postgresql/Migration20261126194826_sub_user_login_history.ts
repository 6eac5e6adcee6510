import { Migration } from '@mikro-orm/migrations';

export class Migration20261126194826_sub_user_login_history extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "login_events" add column "sub_user_id" varchar(26) null;`);
    this.addSql(
      `alter table "login_events" add constraint "login_events_sub_user_id_foreign" foreign key ("sub_user_id") references "sub_users" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`create index "login_events_sub_user_idx" on "login_events" ("sub_user_id", "at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "login_events" drop constraint "login_events_sub_user_id_foreign";`);

    this.addSql(`drop index "login_events_sub_user_idx";`);
    this.addSql(`alter table "login_events" drop column "sub_user_id";`);
  }
}
