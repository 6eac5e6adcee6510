import { Migration } from '@mikro-orm/migrations';

export class Migration20261201205128_personal_verification extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "face_attempt_days" ("account_id" bigint not null, "local_date" varchar(10) not null, "attempts" int not null, constraint "face_attempt_days_pkey" primary key ("account_id", "local_date"));`,
    );

    this.addSql(
      `create table "personal_verifications" ("id" varchar(26) not null, "account_id" bigint not null, "document_type" text check ("document_type" in ('mainland_id_card', 'hong_kong_macau_permit', 'taiwan_permit', 'foreign_passport')) not null, "name_sealed" text not null, "id_number_sealed" text not null, "id_number_digest" varchar(64) not null, "masked_id_number" varchar(40) not null, "status" text check ("status" in ('opening', 'awaiting_liveness', 'verified', 'failed', 'refused', 'expired', 'cancelled')) not null default 'opening', "provider_session_id" varchar(80) null, "failure_reason" varchar(40) null, "refusal_rule" varchar(16) null, "refusal_code" varchar(60) null, "workflow_id" varchar(80) not null, "run_id" varchar(64) null, "created_at" timestamptz not null, "closed_at" timestamptz null, "updated_at" timestamptz null, constraint "personal_verifications_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "personal_verifications" add constraint "personal_verifications_provider_session_unique" unique ("provider_session_id");`,
    );
    this.addSql(
      `create index "personal_verifications_account_idx" on "personal_verifications" ("account_id", "created_at");`,
    );

    this.addSql(
      `create table "sandbox_face_sessions" ("session_id" varchar(40) not null, "reference" varchar(80) not null, "document_type" varchar(32) not null, "name_sealed" text not null, "id_number_sealed" text not null, "status" text check ("status" in ('awaiting_liveness', 'processing', 'decided')) not null default 'awaiting_liveness', "outcome" varchar(40) null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "result_due_at" timestamptz null, "decided_at" timestamptz null, "webhook_delivered_at" timestamptz null, "webhook_attempts" int not null default 0, "next_webhook_at" timestamptz null, "last_webhook_error" varchar(500) null, constraint "sandbox_face_sessions_pkey" primary key ("session_id"));`,
    );
    this.addSql(
      `alter table "sandbox_face_sessions" add constraint "sandbox_face_sessions_reference_unique" unique ("reference");`,
    );
    this.addSql(
      `create index "sandbox_face_sessions_due_idx" on "sandbox_face_sessions" ("status", "result_due_at");`,
    );

    this.addSql(
      `alter table "personal_verifications" add constraint "personal_verifications_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "face_attempt_days" cascade;`);

    this.addSql(`drop table if exists "personal_verifications" cascade;`);

    this.addSql(`drop table if exists "sandbox_face_sessions" cascade;`);
  }
}
