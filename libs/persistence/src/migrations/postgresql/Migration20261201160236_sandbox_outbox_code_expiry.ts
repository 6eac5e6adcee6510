import { Migration } from '@mikro-orm/migrations';

export class Migration20261201160236_sandbox_outbox_code_expiry extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "sandbox_outbox_messages" add column "expires_at" timestamptz null;`);
    // Messages that carry a code (six digits standing alone) expire like the code did: 10 minutes.
    this.addSql(
      `update "sandbox_outbox_messages" set "expires_at" = "created_at" + interval '10 minutes' where "body" ~ '\\m[0-9]{6}\\M';`,
    );
    this.addSql(
      `create index "sandbox_outbox_messages_expires_idx" on "sandbox_outbox_messages" ("expires_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "sandbox_outbox_messages_expires_idx";`);
    this.addSql(`alter table "sandbox_outbox_messages" drop column "expires_at";`);
  }
}
