import { Migration } from '@mikro-orm/migrations';

export class Migration20261126203818_code_send_slots extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`code_send_slots\` (\`key\` text not null, \`last_sent_at\` datetime not null, primary key (\`key\`));`,
    );
  }
}
