import { Migration } from '@mikro-orm/migrations';

export class Migration20261201180828_case_documents extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "case_documents" ("id" varchar(26) not null, "case_id" varchar(26) not null, "label" varchar(40) not null, "content_type" text check ("content_type" in ('image/jpeg', 'image/png', 'application/pdf')) not null, "size_bytes" int not null, "sha256" varchar(64) not null, "wrapped_key" text not null, "storage_key" varchar(120) not null, "uploaded_by" varchar(64) not null, "created_at" timestamptz not null, "deleted_at" timestamptz null, constraint "case_documents_pkey" primary key ("id"), constraint case_documents_size_check check (size_bytes >= 1 and size_bytes <= 10485760), constraint case_documents_sha256_check check (sha256 ~ '^[0-9a-f]{64}$'), constraint case_documents_label_check check (label ~ '^[a-z][a-z0-9_]{0,39}$'));`,
    );
    this.addSql(`create index "case_documents_case_idx" on "case_documents" ("case_id");`);

    this.addSql(
      `create table "case_document_counts" ("case_id" varchar(26) not null, "count" smallint not null, constraint "case_document_counts_pkey" primary key ("case_id"), constraint case_document_counts_range_check check (count >= 0 and count <= 8));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "case_documents" cascade;`);

    this.addSql(`drop table if exists "case_document_counts" cascade;`);
  }
}
