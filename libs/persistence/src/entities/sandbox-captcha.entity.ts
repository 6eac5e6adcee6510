import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/**
 * The sandbox captcha service's own store: what a real captcha provider holds on its side. Only
 * the sandbox adapter reads or writes it; the answer is readable through /sandbox/captcha only.
 */
@Entity({ tableName: 'sandbox_captcha_challenges' })
export class SandboxCaptchaChallenge {
  @PrimaryKey({ type: 'string', length: 26 })
  id!: string;

  @Property({ type: 'string', length: 16, hidden: true })
  answer!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  usedAt?: Opt<Date> | null = null;
}
