/**
 * `npm run staff:create -- --email reviewer@example.com --role reviewer [--password-stdin]`
 * Creates a staff member (reviewer, senior_reviewer, operator) and prints, once, the initial
 * password (generated unless given on stdin) and the TOTP secret with its otpauth URI.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decodeKey32, loadConfig, type AppConfig } from '../../../../../libs/config/src/config';
import { SystemClock } from '../../../../../libs/domain/src/clock';
import { openOrm } from '../../../../../libs/persistence/src/database';
import type { StaffRoleName } from '../../../../../libs/persistence/src/entities';
import { SecretBox } from '../../../../../libs/domain/src/secret-box';
import { createStaffMember } from '../staff-provisioning';

const ROLES: StaffRoleName[] = ['reviewer', 'senior_reviewer', 'operator'];

/** The command, callable in-process (tests) as well as from `main`. Returns what it prints. */
export async function runCreateStaff(
  args: string[],
  config: AppConfig,
  readStdin: () => string = () => readFileSync(0, 'utf8'),
): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  const email = values.email?.trim();
  const role = values.role as StaffRoleName | undefined;
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email) || !role || !ROLES.includes(role)) {
    throw new Error(`usage: staff:create -- --email <email> --role <${ROLES.join('|')}> [--password-stdin]`);
  }
  let password: string | undefined;
  if (values['password-stdin']) {
    password = readStdin().trim();
    if (password.length < 12) throw new Error('a staff password needs at least 12 characters');
  }
  const orm = await openOrm(config.database);
  try {
    const created = await createStaffMember(orm, new SecretBox(decodeKey32(config.mfa.encryptionKey)!), {
      email,
      role,
      password,
      now: new SystemClock().now(),
      issuer: config.mfa.issuer,
    });
    return [
      `[staff:create] created ${created.role} ${created.email} (${created.staffId})`,
      password ? '  password:     (as given on stdin)' : `  password:     ${created.password}`,
      `  TOTP secret:  ${created.totpSecret}`,
      `  otpauth URI:  ${created.otpauthUri}`,
      '  Shown once: hand them over securely. Sign in at POST /staff/sessions with a current TOTP code.',
      '',
    ].join('\n');
  } finally {
    await orm.close(true);
  }
}

async function main(): Promise<void> {
  process.stdout.write(await runCreateStaff(process.argv.slice(2), loadConfig()));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`[staff:create] failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
