import { NotificationOutbox } from '../../apps/api/src/notifications/notification-outbox.service';
import { NotificationOutboxEntry, VerificationCode } from '../../libs/persistence/src/entities';
import { eventually, uniqueEmail } from '../support/factories';
import { FakeSmtpServer, decodeMessage } from '../support/fake-smtp-server';
import { ManualClock, startPlatform, type Platform } from '../support/platform';

const PASSWORD = 'Passw0rd-123';

jest.setTimeout(30_000);

/** The API with SMTP_URL set: codes leave over real SMTP, to a server the test controls. */
describe('email delivery over SMTP', () => {
  let smtp: FakeSmtpServer;
  let p: Platform;
  const clock = new ManualClock('2026-05-04T03:00:00.000Z');
  beforeAll(async () => {
    smtp = await FakeSmtpServer.start();
    p = await startPlatform({
      clock,
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Account Center <no-reply@ac.test>',
        NOTIFIER_OUTBOX_POLL_MS: '50',
      },
    });
  }, 60_000);
  afterEach(() => {
    smtp.refuseRecipients(null);
    smtp.refuseData(null);
  });
  afterAll(async () => {
    await p.close();
    await smtp.stop();
  });

  const codesFor = (email: string) => p.orm.em.fork().find(VerificationCode, { destination: email });

  /** The code in the next email to `to`, over SMTP. */
  const mailedCode = async (to: string): Promise<string> => {
    const body = decodeMessage(await smtp.waitForMessage(to)).body;
    const code = /\b(\d{6})\b/.exec(body)?.[1];
    if (!code) throw new Error(`no code in ${body}`);
    return code;
  };

  /** An owner with a security email, signed up and bound entirely over SMTP. */
  async function ownerWithSecurityEmail(): Promise<{ token: string; securityEmail: string }> {
    const email = uniqueEmail('owner');
    expect((await p.http.post('/sign-up/email/codes', { email })).status).toBe(202);
    const code = await mailedCode(email);
    expect((await p.http.post('/accounts', { email, code, password: PASSWORD })).status).toBe(201);
    const token = (await p.http.post('/sessions', { email, password: PASSWORD })).body.token as string;
    const securityEmail = uniqueEmail('security');
    expect(
      (await p.http.post('/accounts/me/security/email/codes', { email: securityEmail }, token)).status,
    ).toBe(202);
    const bind = await p.http.put(
      '/accounts/me/security/email',
      { email: securityEmail, code: await mailedCode(securityEmail) },
      token,
    );
    expect(bind.status).toBe(200);
    return { token, securityEmail };
  }

  const noticesTo = (recipient: string) =>
    p.orm.em.fork().find(NotificationOutboxEntry, { recipient }, { orderBy: { createdAt: 'asc' } });

  it('ACC-2: the sign-up code arrives by email and confirms the account', async () => {
    const email = uniqueEmail('smtp');
    const sent = await p.http.post('/sign-up/email/codes', { email });
    expect(sent.status).toBe(202);
    const mail = decodeMessage(await smtp.waitForMessage(email));
    expect(mail.headers.get('from')).toContain('no-reply@ac.test');
    const code = /\b(\d{6})\b/.exec(mail.body)?.[1];
    expect(code).toBeDefined();
    const created = await p.http.post('/accounts', { email, code, password: PASSWORD });
    expect(created.status).toBe(201);
  });

  it('ACC-12: an address the mail server refuses is a 400 naming email; nothing is kept and no cooldown applies', async () => {
    const email = uniqueEmail('nobody');
    smtp.refuseRecipients('550 5.1.1 No such user here');
    const refused = await p.http.post('/sign-up/email/codes', { email });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'destination_refused', field: 'email' });
    expect(await codesFor(email)).toHaveLength(0);

    smtp.refuseRecipients(null);
    const again = await p.http.post('/sign-up/email/codes', { email });
    expect(again.status).toBe(202);
    await smtp.waitForMessage(email);
    expect(await codesFor(email)).toHaveLength(1);
  });

  it('CON-4: a security notice waits in the outbox while the mail system is down, and goes out once it is back', async () => {
    const owner = await ownerWithSecurityEmail();
    const extra = uniqueEmail('extra');
    await p.http.post('/accounts/me/login-methods/email/codes', { email: extra }, owner.token);
    const code = await mailedCode(extra);

    smtp.refuseRecipients('451 4.3.0 Try again later');
    const added = await p.http.post('/accounts/me/login-methods/email', { email: extra, code }, owner.token);
    expect(added.status).toBe(201); // the change does not depend on the notice
    const waiting = await eventually(async () => {
      const [n] = await noticesTo(owner.securityEmail);
      return n && n.attempts >= 1 && n.lastError ? n : undefined;
    });
    expect(waiting).toMatchObject({ status: 'pending', subject: 'Login methods changed' });
    expect(waiting.lastError).toContain('451');

    smtp.refuseRecipients(null);
    clock.advance(31_000); // the first retry is due 30 s after the failed attempt
    const mail = decodeMessage(await smtp.waitForMessage(owner.securityEmail));
    expect(mail.subject).toBe('Login methods changed');
    expect(mail.body).toContain('was added as a login method');
    const sent = await eventually(async () => {
      const [n] = await noticesTo(owner.securityEmail);
      return n?.status === 'sent' ? n : undefined;
    });
    expect(sent.attempts).toBe(2);
  });

  it('CON-4: a notice the mail system refuses for good is kept as rejected and not retried', async () => {
    const owner = await ownerWithSecurityEmail();
    const extra = uniqueEmail('extra');
    await p.http.post('/accounts/me/login-methods/email/codes', { email: extra }, owner.token);
    const code = await mailedCode(extra);

    smtp.refuseRecipients('550 5.1.1 No such user here');
    expect(
      (await p.http.post('/accounts/me/login-methods/email', { email: extra, code }, owner.token)).status,
    ).toBe(201);
    const rejected = await eventually(async () => {
      const [n] = await noticesTo(owner.securityEmail);
      return n?.status === 'rejected' ? n : undefined;
    });
    expect(rejected.attempts).toBe(1);
    smtp.refuseRecipients(null);
    clock.advance(2 * 3600_000);
    // A delivery round of our own, awaited: nothing is due, nothing is sent.
    expect(await p.app.get(NotificationOutbox).dispatchDue()).toBe(0);
    expect((await noticesTo(owner.securityEmail))[0]).toMatchObject({ status: 'rejected', attempts: 1 });
  });

  it('ACC-12: a mail server that is down is a 503 with Retry-After and a correlation id; asking again works at once', async () => {
    const email = uniqueEmail('later');
    smtp.refuseRecipients('451 4.3.0 Try again later');
    const down = await p.http.post('/sign-up/email/codes', { email });
    expect(down.status).toBe(503);
    expect(down.body.error).toMatchObject({
      code: 'notifier_unavailable',
      correlationId: expect.any(String),
    });
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(JSON.stringify(down.body)).not.toMatch(/smtp:\/\/|at .*\.js/);
    expect(await codesFor(email)).toHaveLength(0);

    smtp.refuseRecipients(null);
    const again = await p.http.post('/sign-up/email/codes', { email });
    expect(again.status).toBe(202);
    await smtp.waitForMessage(email);
  });
});
