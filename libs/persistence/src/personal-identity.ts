import type { EntityManager } from '@mikro-orm/core';
import { maskIdentityNumber } from '../../domain/src/personal-verification';
import type { SecretBox } from '../../domain/src/secret-box';
import type { AccountKeyring } from './account-keys';
import type { PersonalVerification } from './entities';

const nameContext = (verificationId: string) => `personal-verification:${verificationId}:name`;
const idNumberContext = (verificationId: string) => `personal-verification:${verificationId}:id-number`;

/**
 * The keyed digest (HMAC-SHA-256 under a key derived from DATA_ENCRYPTION_KEY) an identity number
 * is looked up by: equal numbers give equal digests, and without the key it cannot be reversed by
 * trying every number. The number itself is only ever stored sealed.
 */
export function identityNumberDigest(box: SecretBox, idNumber: string): string {
  return box.digest(idNumber, 'identity-number');
}

/**
 * A personal verification's name and ID number as stored: sealed under the account's data key
 * (CAN-5), bound to the verification, with the number's keyed digest and its masked form.
 */
export function sealPersonalIdentity(
  accountBox: SecretBox,
  verificationId: string,
  identity: { name: string; idNumber: string },
): Pick<PersonalVerification, 'nameSealed' | 'idNumberSealed' | 'idNumberDigest' | 'maskedIdNumber'> {
  return {
    nameSealed: accountBox.seal(identity.name, nameContext(verificationId)),
    idNumberSealed: accountBox.seal(identity.idNumber, idNumberContext(verificationId)),
    idNumberDigest: identityNumberDigest(accountBox, identity.idNumber),
    maskedIdNumber: maskIdentityNumber(identity.idNumber),
  };
}

/** Opens a personal verification's name and ID number (activities only; never into history or logs). */
export async function openPersonalIdentity(
  em: EntityManager,
  keyring: AccountKeyring,
  v: PersonalVerification,
): Promise<{ name: string; idNumber: string }> {
  const box = await keyring.boxToOpen(em, v.account.id, v.idNumberSealed);
  return {
    name: box.open(v.nameSealed, nameContext(v.id)),
    idNumber: box.open(v.idNumberSealed, idNumberContext(v.id)),
  };
}
