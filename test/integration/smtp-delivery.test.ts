import { VerificationCode } from '../../libs/persistence/src/entities';
import { DRIVERS } from '../support/databases';
import { uniqueEmail } from '../support/factories';
import { FakeSmtpServer, decodeMessage } from '../support/fake-smtp-server';
import { startPlatform, type Platform } from '../support/platform';

const PASSWORD = 'Passw0rd-123';

jest.setTimeout(30_000);

/** The API with SMTP_URL set: codes leave over real SMTP, to a server the test controls. */
describe.each(DRIVERS)('email delivery over SMTP (%s)', (driver) => {
  let smtp: FakeSmtpServer;
  let p: Platform;
  beforeAll(async () => {
    smtp = await FakeSmtpServer.start();
    p = await startPlatform({
      driver,
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'Account Center <no-reply@ac.test>' },
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
