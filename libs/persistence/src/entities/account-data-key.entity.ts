import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The data key of one account (issue 10 CAN-5, crypto-shredding): a random 32-byte key, sealed
 * (SecretBox, context `account-data-key:<accountId>`) under DATA_ENCRYPTION_KEY. The account's
 * sealed values (bank account numbers, appeal details and contact, document keys) are sealed
 * under it; cancellation destroys it (`destroyedAt` set, `wrappedKey` overwritten with a value
 * that opens nothing), so copies of those values, backups included, no longer open. Not a
 * foreign key: the row outlives the account's data as a record that its key is gone.
 * Managed by AccountKeyring (libs/persistence/src/account-keys.ts).
 */
@Entity({ tableName: 'account_data_keys' })
export class AccountDataKey {
  @PrimaryKey({ type: 'bigint', autoincrement: false })
  accountId!: number;

  @Property({ type: 'text', lazy: true })
  wrappedKey!: string;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  destroyedAt?: Date | null = null;
}
