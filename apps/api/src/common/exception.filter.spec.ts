import { bodyParserError, describeRedacted, redactMessage } from './exception.filter';

describe('the 500 log line (issue 8: values redacted)', () => {
  const statement =
    'insert into "accounts" ("id", "email", "password_hash") values (4823749238472934, \'alice@example.com\', ' +
    "'$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0123456789abcdefghijABCDEFGHIJ+/xyz') - " +
    'duplicate key value violates unique constraint "accounts_email_unique"';

  it('keeps the statement shape and the database message, not the values', () => {
    const line = redactMessage(`${statement} Key (email)=(alice@example.com) already exists.`);
    expect(line).toContain('insert into "accounts"');
    expect(line).toContain('accounts_email_unique');
    expect(line).not.toContain('alice@example.com');
    expect(line).not.toContain('argon2id$v=19$m=19456');
    expect(line).not.toContain('4823749238472934');
  });

  it('names the class and SQLSTATE of each error in the chain, with stack frames but no message copy', () => {
    const cause = Object.assign(new Error(statement), { code: '23505' });
    class UniqueConstraintViolationException extends Error {}
    const err = new UniqueConstraintViolationException(statement, { cause });
    const line = describeRedacted(err);
    expect(line).toContain('UniqueConstraintViolationException:');
    expect(line).toContain('Caused by: Error [23505]:');
    expect(line).toMatch(/\n\s+at /);
    expect(line).not.toContain('alice@example.com');
  });
});

describe('body-parser errors', () => {
  const httpError = (status: number, type: string, message = 'x') =>
    Object.assign(new Error(message), { status, type, expose: true });

  it('maps each kind to its own status', () => {
    expect(bodyParserError(httpError(413, 'entity.too.large'))?.status).toBe(413);
    expect(bodyParserError(httpError(415, 'charset.unsupported'))?.status).toBe(415);
    expect(bodyParserError(httpError(415, 'encoding.unsupported'))?.status).toBe(415);
    expect(bodyParserError(httpError(400, 'request.aborted'))?.status).toBe(400);
    expect(
      bodyParserError(Object.assign(new Error('incorrect header check'), { status: 400 }))?.error.code,
    ).toBe('malformed_body');
    expect(bodyParserError(new Error('plain'))).toBeUndefined();
    expect(bodyParserError(httpError(500, 'stream.not.readable'))).toBeUndefined();
  });
});
