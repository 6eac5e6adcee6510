import { Migration } from '@mikro-orm/migrations';

export class Migration20261201193045_real_name_slots extends Migration {
  override async up(): Promise<void> {
    // RN-2's counters. Not filled here: the key is a keyed digest (HMAC under a key derived from
    // DATA_ENCRYPTION_KEY) that SQL cannot compute. takeRealNameSlot/releaseRealNameSlot create a
    // missing row with the count of the identity's current records instead, in their transaction.
    this.addSql(
      `create table "real_name_slots" ("key" varchar(100) not null, "held" int not null, constraint "real_name_slots_pkey" primary key ("key"));`,
    );

    // RN-1: records are never deleted. Should an account hold more than one current record (two
    // completions that raced before this index), the newest stays current, the others superseded.
    this.addSql(
      `update "real_name_records" r set "superseded_at" = newer."verified_at"
         from "real_name_records" newer
        where r."superseded_at" is null and newer."superseded_at" is null
          and newer."account_id" = r."account_id"
          and (newer."verified_at", newer."id") > (r."verified_at", r."id")
          and not exists (
            select 1 from "real_name_records" newest
             where newest."superseded_at" is null and newest."account_id" = r."account_id"
               and (newest."verified_at", newest."id") > (newer."verified_at", newer."id"));`,
    );
    this.addSql(
      `create unique index "real_name_records_one_current_unique" on "real_name_records" ("account_id") where "superseded_at" is null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "real_name_slots" cascade;`);

    this.addSql(`drop index if exists "real_name_records_one_current_unique";`);
  }
}
