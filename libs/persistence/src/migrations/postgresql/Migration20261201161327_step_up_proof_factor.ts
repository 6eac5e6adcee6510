import { Migration } from '@mikro-orm/migrations';

export class Migration20261201161327_step_up_proof_factor extends Migration {
  override async up(): Promise<void> {
    // Proofs written before were all step-ups with an MFA code.
    this.addSql(
      `alter table "step_up_proofs" add column "factor" text check ("factor" in ('password', 'mfa', 'identity')) not null default 'mfa';`,
    );
    this.addSql(`alter table "step_up_proofs" alter column "factor" drop default;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "step_up_proofs" drop column "factor";`);
  }
}
