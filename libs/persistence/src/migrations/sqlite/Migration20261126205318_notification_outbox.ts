import { Migration } from '@mikro-orm/migrations';

export class Migration20261126205318_notification_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`notification_outbox\` (\`id\` text not null, \`channel\` text check (\`channel\` in ('sms', 'email')) not null, \`recipient\` text not null, \`subject\` text not null, \`body\` text not null, \`status\` text check (\`status\` in ('pending', 'sent', 'rejected')) not null default 'pending', \`attempts\` integer not null default 0, \`next_attempt_at\` datetime not null, \`created_at\` datetime not null, \`sent_at\` datetime null, \`last_error\` text null, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`notification_outbox_due_idx\` on \`notification_outbox\` (\`status\`, \`next_attempt_at\`);`,
    );
  }
}
