import { Migration } from '@mikro-orm/migrations';

export class Migration20261201181432_review_tasks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "appeal_cases" ("id" varchar(26) not null, "kind" text check ("kind" in ('security-phone-appeal', 'registration-email-appeal', 'mfa-device-appeal', 'sign-in-appeal', 'payout-appeal')) not null, "account_id" bigint not null, "status" text check ("status" in ('draft', 'in_review', 'information_requested', 'awaiting_second_approval', 'applying', 'approved', 'rejected', 'withdrawn', 'abandoned')) not null default 'draft', "applicant_kind" text check ("applicant_kind" in ('session', 'contact')) not null, "case_token_hash" varchar(64) null, "contact_sealed" text null, "details_sealed" text not null, "checks" jsonb not null, "workflow_id" varchar(128) not null, "run_id" varchar(64) null, "reason_code" varchar(64) null, "applied_at" timestamptz null, "created_at" timestamptz not null, "submitted_at" timestamptz null, "closed_at" timestamptz null, constraint "appeal_cases_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "appeal_cases_token_idx" on "appeal_cases" ("case_token_hash");`);
    this.addSql(
      `create index "appeal_cases_account_idx" on "appeal_cases" ("account_id", "kind", "created_at");`,
    );
    this.addSql(
      `create unique index "appeal_cases_one_open_unique" on "appeal_cases" ("account_id", "kind") where "status" in ('draft', 'in_review', 'information_requested', 'awaiting_second_approval', 'applying');`,
    );

    this.addSql(
      `create table "review_events" ("id" varchar(64) not null, "case_id" varchar(26) not null, "task_id" varchar(40) null, "type" text check ("type" in ('created', 'claimed', 'released', 'reassigned', 'commented', 'information_requested', 'answered', 'decided', 'second_approval', 'escalated', 'abandoned', 'withdrawn', 'document_opened', 'outcome_applied', 'outcome_refused')) not null, "actor" varchar(40) not null, "at" timestamptz not null, "note_id" varchar(26) null, "detail" jsonb null, constraint "review_events_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "review_events_case_idx" on "review_events" ("case_id", "at", "id");`);

    this.addSql(
      `create table "review_notes" ("id" varchar(26) not null, "case_id" varchar(26) not null, "author" varchar(40) not null, "kind" text check ("kind" in ('comment', 'information_request', 'answer', 'decision')) not null, "body" text not null, "idempotency_key" varchar(120) not null, "created_at" timestamptz not null, constraint "review_notes_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "review_notes_case_idx" on "review_notes" ("case_id", "created_at");`);
    this.addSql(
      `alter table "review_notes" add constraint "review_notes_idempotency_unique" unique ("case_id", "idempotency_key");`,
    );

    this.addSql(
      `create table "review_tasks" ("id" varchar(40) not null, "case_id" varchar(26) not null, "workflow_id" varchar(128) not null, "run_id" varchar(64) not null, "kind" text check ("kind" in ('security-phone-appeal', 'registration-email-appeal', 'mfa-device-appeal', 'sign-in-appeal', 'payout-appeal')) not null, "queue" text check ("queue" in ('review', 'senior-review')) not null, "status" text check ("status" in ('open', 'information_requested', 'awaiting_second_approval', 'completed', 'cancelled')) not null, "account_id" bigint null, "priority" smallint not null, "assignee_id" varchar(26) null, "escalated" boolean not null default false, "created_at" timestamptz not null, "due_at" timestamptz not null, "closed_at" timestamptz null, "state" jsonb not null, "version" int not null default 0, constraint "review_tasks_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "review_tasks_case_idx" on "review_tasks" ("case_id");`);
    this.addSql(`create index "review_tasks_account_idx" on "review_tasks" ("account_id");`);
    this.addSql(
      `create index "review_tasks_assignee_idx" on "review_tasks" ("assignee_id", "status", "due_at");`,
    );
    this.addSql(
      `create index "review_tasks_queue_created_idx" on "review_tasks" ("status", "queue", "created_at", "id");`,
    );
    this.addSql(
      `create index "review_tasks_queue_priority_idx" on "review_tasks" ("status", "queue", "priority", "due_at", "id");`,
    );
    this.addSql(
      `create index "review_tasks_queue_due_idx" on "review_tasks" ("status", "queue", "due_at", "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "appeal_cases" cascade;`);

    this.addSql(`drop table if exists "review_events" cascade;`);

    this.addSql(`drop table if exists "review_notes" cascade;`);

    this.addSql(`drop table if exists "review_tasks" cascade;`);
  }
}
