import { Migration } from '@mikro-orm/migrations';

export class Migration20261201205603_codec_decode_events extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "codec_decode_events" ("id" varchar(26) not null, "staff_id" varchar(26) not null, "session_id" varchar(26) not null, "namespace" varchar(255) not null, "workflow_id" varchar(255) null, "run_id" varchar(64) null, "payloads" int not null, "key_ids" jsonb not null, "origin" varchar(255) null, "ip" varchar(64) null, "at" timestamptz not null, constraint "codec_decode_events_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "codec_decode_events_workflow_idx" on "codec_decode_events" ("workflow_id", "at");`,
    );
    this.addSql(`create index "codec_decode_events_staff_idx" on "codec_decode_events" ("staff_id", "at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "codec_decode_events" cascade;`);
  }
}
