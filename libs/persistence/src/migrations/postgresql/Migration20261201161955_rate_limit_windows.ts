import { Migration } from '@mikro-orm/migrations';

export class Migration20261201161955_rate_limit_windows extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "rate_limit_windows" ("bucket" varchar(40) not null, "client_key" varchar(128) not null, "window_start" timestamptz not null, "count" int not null, constraint "rate_limit_windows_pkey" primary key ("bucket", "client_key", "window_start"));`,
    );
    this.addSql(`create index "rate_limit_windows_start_idx" on "rate_limit_windows" ("window_start");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "rate_limit_windows" cascade;`);
  }
}
