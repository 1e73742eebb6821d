// PreventUserExistenceErrors: with ENABLED (what the console sets for new clients), flows answer for an unknown
// user exactly as for a known one, so callers cannot probe which usernames exist — neither by the answer nor by how
// long it takes (docs/security.md lists what Cognito itself still tells apart, and Corral with it).
//
//   simulatedDelivery(app, pool, username)  the CodeDeliveryDetails of a code "sent" to nobody: a plausible masked
//                                           destination, the same every time for the same pool and name, chosen by
//                                           a keyed hash (the server key), so it cannot be told from a real one by
//                                           asking twice or by comparing names;
//   simulatedSend(app, pool, username)      that, after the same database work a real send does (a code row, then a
//                                           sweep and an outbox row in one transaction; the decoy outbox row expires
//                                           as it is written: no reader ever sees it, the next sweep deletes it);
//   decoyWrites(app, n)                     n writes that cost what the real path's writes cost (a commit each),
//                                           for the answers whose real path counts a failure or takes a code try.
// A decoy write is a row in spent_sessions under a random key that expires in a minute (swept with the other
// expired rows): append-only, so unknown-user floods contend on nothing a real user needs.
import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import { encrypt, keyedHash } from '../crypto/box.js';
import { maskDestination } from '../messaging/index.js';
import type { Corral } from '../runtime/app.js';
import type { Client, Pool } from './pools.js';
import { isEmail, isPhoneNumber } from './user-attributes.js';
import { verificationTarget } from './signup-rules.js';
import { checkAliasesFree } from './users.js';

export function preventsUserExistenceErrors(client: Client): boolean {
  return client.settings.PreventUserExistenceErrors === 'ENABLED';
}

const DESTINATION_PURPOSE = 'simulated-destination';
const DECOY_TTL_MS = 60_000;

/** Mail domains people sign up with, most common first (the simulated address picks one). */
const MAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'aol.com', 'proton.me', 'live.com', 'msn.com', 'me.com'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** A plausible CodeDeliveryDetails for a user that does not exist (or must look as if it did). */
export function simulatedDelivery(app: Corral, pool: Pool, username: string): CodeDeliveryDetailsType {
  const sms = isPhoneNumber(username) || (!isEmail(username) && (pool.settings.AutoVerifiedAttributes ?? []).includes('phone_number'));
  const h = Buffer.from(keyedHash(app.secrets.serverKey, DESTINATION_PURPOSE, `${pool.id}\n${username}`), 'hex');
  if (sms) {
    // A phone number typed as the username is masked as it is; otherwise a +1 number ending in 4 keyed digits.
    const digits = String(h.readUInt32BE(0) % 10_000).padStart(4, '0');
    const to = isPhoneNumber(username) ? username : `+1555000${digits}`;
    return { Destination: maskDestination('SMS', to), DeliveryMedium: 'SMS', AttributeName: 'phone_number' };
  }
  // An email typed as the username is masked as that user's own address would be; otherwise the name's first
  // letter (a keyed one when it is not a letter or digit) at a common mail domain picked by the keyed hash.
  const first = username.slice(0, 1).toLowerCase();
  const letter = /^[a-z0-9]$/.test(first) ? first : LETTERS[h[4]! % LETTERS.length]!;
  const to = isEmail(username) ? username : `${letter}@${MAIL_DOMAINS[h.readUInt16BE(5) % MAIL_DOMAINS.length]}`;
  return { Destination: maskDestination('EMAIL', to), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}

/** `n` database writes, each its own commit, that change nothing anyone reads (see the header). */
export async function decoyWrites(app: Corral, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await app.store.spentSessions.spend(keyedHash(app.secrets.serverKey, 'decoy-write', randomBytes(16).toString('hex')), app.now() + DECOY_TTL_MS);
  }
  // Swept as spendOnce sweeps (auth-session.ts): now and then, whatever expired.
  if (Math.random() < 0.01) await app.store.spentSessions.deleteExpired(app.now());
}

/**
 * The read a real ConfirmSignUp makes before it spends the code (checkAliasesFree on the alias its confirmation
 * verifies), for a value nobody holds: an unknown user's wrong code costs what an unconfirmed user's does.
 */
export async function decoyAliasCheck(app: Corral, pool: Pool): Promise<void> {
  const nobody = randomBytes(8).toString('hex');
  const target = verificationTarget(pool, { email: `${nobody}@decoy.invalid`, phone_number: `+1555${parseInt(nobody.slice(0, 6), 16) % 10_000_000}` });
  if (!target) return;
  const value = target === 'email' ? `${nobody}@decoy.invalid` : `+1555${parseInt(nobody.slice(0, 6), 16) % 10_000_000}`;
  await checkAliasesFree(app, pool, '', { [target]: value, [`${target}_verified`]: 'true' });
}

/** A code "sent" to nobody: the work of a real send (a code row, a sealed outbox row), then the simulated details. */
export async function simulatedSend(app: Corral, pool: Pool, username: string): Promise<CodeDeliveryDetailsType> {
  const details = simulatedDelivery(app, pool, username);
  // The code row: one write, as issueCode's upsert.
  await decoyWrites(app, 1);
  // The outbox row, statement for statement as messaging/outbox.ts stores one (a sweep and an insert in one
  // transaction), sealed as a message is; it expires as it is written, so no reader ever sees it and the next write
  // or read of the outbox deletes it.
  const now = app.now();
  const sealed = encrypt(
    app.secrets.serverKey,
    'decoy-outbox',
    // Nothing of the request is kept, not even sealed: random bytes of a message's size.
    JSON.stringify({ to: randomBytes(16).toString('hex'), username: randomBytes(8).toString('hex'), body: randomBytes(96).toString('base64') }),
  );
  await app.store.outbox.insert(
    {
      id: now.toString(16).padStart(12, '0') + randomBytes(8).toString('hex'),
      poolId: pool.id,
      medium: details.DeliveryMedium!,
      kind: 'Decoy',
      recipientHash: keyedHash(app.secrets.serverKey, 'decoy-recipient', randomBytes(16).toString('hex')),
      sealed,
      createdAt: now,
      expiresAt: now,
    },
    now,
  );
  return details;
}
