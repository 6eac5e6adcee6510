import { Migration } from '@mikro-orm/migrations';

export class Migration20261202010945_review_tasks_unassigned_due_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "review_tasks_unassigned_due_idx" on "review_tasks" ("queue", "due_at", "id") where "assignee_id" is null and "status" in ('open', 'information_requested', 'awaiting_second_approval');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "review_tasks_unassigned_due_idx";`);
  }
}
