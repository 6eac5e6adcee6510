import { decodeKey32 } from '../../libs/config/src/config';
import { StaffMember } from '../../libs/persistence/src/entities';
import { SecretBox } from '../../libs/domain/src/secret-box';
import { runCreateStaff } from '../../apps/api/src/staff/cli/create-staff';
import { createStaffMember, type CreatedStaff } from '../../apps/api/src/staff/staff-provisioning';
import { signUpAndSignIn } from '../support/factories';
import { ManualClock, startPlatform, type Platform } from '../support/platform';
import { codeFor, str, type Json, type Res } from '../support/security';

describe('staff principals over HTTP', () => {
  let p: Platform;
  const clock = new ManualClock('2026-07-01T02:00:00.000Z');
  let n = 0;
  beforeAll(async () => {
    p = await startPlatform({ clock });
  });
  afterAll(async () => {
    await p.close();
  });

  const tick = () => clock.advance(30_000);
  const create = async (role: CreatedStaff['role']): Promise<CreatedStaff> => {
    n += 1;
    return createStaffMember(p.orm, new SecretBox(decodeKey32(p.config.mfa.encryptionKey)!), {
      email: `${role}.${n}@example.com`,
      role,
      now: clock.now(),
      issuer: 'test',
    });
  };
  const signIn = (s: CreatedStaff, overrides: Record<string, string> = {}): Promise<Res> =>
    p.http.post<Json>('/staff/sessions', {
      email: s.email,
      password: s.password,
      code: codeFor(s.totpSecret, clock),
      ...overrides,
    });

  it('staff sign in with password plus a mandatory TOTP code, and get an stf_ token', async () => {
    const s = await create('reviewer');
    tick();
    const ok = await signIn(s);
    expect(ok.status).toBe(201);
    expect(str(ok, 'token')).toMatch(/^stf_/);
    const me = await p.http.get<Json>('/staff/me', str(ok, 'token'));
    expect(me.body).toMatchObject({ staffId: s.staffId, email: s.email, role: 'reviewer' });

    expect(
      (await p.http.post<Json>('/staff/sessions', { email: s.email, password: s.password })).status,
    ).toBe(400);
  });

  it('a wrong password, a wrong code, a reused code and an unknown email get the same answer', async () => {
    const s = await create('senior_reviewer');
    tick();
    const used = codeFor(s.totpSecret, clock);
    expect((await signIn(s, { code: used })).status).toBe(201);
    const answers = [
      await signIn(s, { code: used }),
      await signIn(s, { password: 'Wrong-password-1' }),
      await signIn(s, { code: String((Number(used) + 1) % 1_000_000).padStart(6, '0') }),
      await signIn({ ...s, email: 'nobody@example.com' }),
    ];
    expect(answers.map((r) => [r.status, r.body.error.code, r.body.error.message])).toEqual(
      Array(4).fill([401, 'invalid_credentials', 'Wrong email, password or code']),
    );
  });

  it('CON-2: ten failed staff sign-ins in a day lock for 24 hours, whatever the password', async () => {
    const s = await create('reviewer');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await signIn(s, { password: 'Wrong-password-1' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 401, 423]);
    tick();
    const locked = await signIn(s);
    expect(locked.status).toBe(423);
    expect(locked.body.error.lockedUntil).toEqual(expect.any(String) as unknown);
  });

  it('roles: only operators register hardware tokens; sign-out ends the staff session', async () => {
    const reviewer = await create('reviewer');
    tick();
    const token = str(await signIn(reviewer), 'token');
    const refused = await p.http.post<Json>(
      '/staff/mfa/hardware-tokens',
      { serial: 'HW-0001', seed: 'JBSWY3DPEHPK3PXP' },
      token,
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('staff_role_required');
    expect((await p.http.delete('/staff/sessions/current', token)).status).toBe(204);
    expect((await p.http.get('/staff/me', token)).status).toBe(401);
  });

  it('a staff token can never act as an account owner, nor an owner token as staff', async () => {
    const op = await create('operator');
    tick();
    const staffToken = str(await signIn(op), 'token');
    const owner = await signUpAndSignIn(p.http);
    const asOwner = await p.http.get<Json>('/accounts/me', staffToken);
    expect(asOwner.status).toBe(403);
    expect(asOwner.body.error.code).toBe('staff_not_allowed');
    const asStaff = await p.http.get<Json>('/staff/me', owner.token);
    expect(asStaff.status).toBe(403);
    expect(asStaff.body.error.code).toBe('staff_only');
  });

  it('a disabled staff member is signed out at once', async () => {
    const s = await create('reviewer');
    tick();
    const token = str(await signIn(s), 'token');
    await p.orm.em.fork().nativeUpdate(StaffMember, { id: s.staffId }, { disabledAt: clock.now() });
    expect((await p.http.get('/staff/me', token)).status).toBe(401);
  });

  it('staff TOTP secrets and passwords are not stored in the clear', async () => {
    const s = await create('operator');
    const row = await p.orm.em
      .fork()
      .findOneOrFail(StaffMember, { id: s.staffId }, { populate: ['passwordHash', 'totpSecretEncrypted'] });
    expect(row.totpSecretEncrypted).not.toContain(s.totpSecret);
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('npm run staff:create prints the password and TOTP secret once, and the staff member can sign in', async () => {
    const email = `cli.${n}@example.com`;
    const out = await runCreateStaff(['--email', email, '--role', 'operator'], p.config);
    const password = /password:\s+(\S+)/.exec(out)?.[1];
    const secret = /TOTP secret:\s+(\S+)/.exec(out)?.[1];
    expect(out).toMatch(/otpauth:\/\/totp\//);
    tick();
    const r = await p.http.post<Json>('/staff/sessions', { email, password, code: codeFor(secret!, clock) });
    expect(r.status).toBe(201);

    const given = await runCreateStaff(
      ['--email', 'cli2@example.com', '--role', 'reviewer', '--password-stdin'],
      p.config,
      () => 'Given-password-123\n',
    );
    expect(given).toContain('(as given on stdin)');
    await expect(runCreateStaff(['--email', email, '--role', 'operator'], p.config)).rejects.toThrow(
      /already exists/,
    );
    await expect(runCreateStaff(['--email', 'x@example.com', '--role', 'admin'], p.config)).rejects.toThrow(
      /usage/,
    );
  });
});
