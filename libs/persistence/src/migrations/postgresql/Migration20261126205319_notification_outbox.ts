import { Migration } from '@mikro-orm/migrations';

export class Migration20261126205319_notification_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "notification_outbox" ("id" varchar(26) not null, "channel" text check ("channel" in ('sms', 'email')) not null, "recipient" varchar(254) not null, "subject" varchar(200) not null, "body" text not null, "status" text check ("status" in ('pending', 'sent', 'rejected')) not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "created_at" timestamptz not null, "sent_at" timestamptz null, "last_error" varchar(500) null, constraint "notification_outbox_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "notification_outbox_due_idx" on "notification_outbox" ("status", "next_attempt_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "notification_outbox" cascade;`);
  }
}
