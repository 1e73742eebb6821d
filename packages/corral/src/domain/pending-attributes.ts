// Updates that wait for verification (the pool's UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate,
// API reference "UserAttributeUpdateSettingsType" and UpdateUserAttributes' UserAttributes): a new email or
// phone_number does not replace the current one; Cognito sends a code to the new value and keeps the original
// "active" — it stays in the attributes (GetUser, AdminGetUser, ListUsers, tokens), stays verified, and signs in as
// an alias — until the user answers with VerifyUserAttribute, or an administrator sets `<attribute>_verified` to
// true (AdminUpdateUserAttributes), which applies the waiting value. The waiting values live in the user's row
// (storage/users.ts `pendingAttributes`, never returned by any API).
//
// API (pure: used inside the row-lock mutators of the actions, which must not await):
//   requiresVerificationBeforeUpdate(pool) → the attributes the setting names
//   selfServiceUpdate(pool, fresh, changes)   UpdateUserAttributes → { patch, toVerify, pending }
//   adminUpdate(pool, fresh, changes)         AdminUpdateUserAttributes (blank value = delete) → { patch, toVerify, pending }
//   verifiedUpdate(fresh, attribute)          VerifyUserAttribute → the patch that marks it verified, applying a
//                                             waiting value
//   withPending(user, attribute)              the user as the code's message should see it (the new address)
import type { Pool } from './pools.js';
import type { User, UserPatch } from './users.js';
import type { CodeAttribute } from './verification.js';

const VERIFIABLE: CodeAttribute[] = ['email', 'phone_number'];

export interface AttributeUpdate {
  patch: UserPatch;
  /** Changed email/phone values that want a code: the new value waits (`pending`) or is stored unverified. */
  toVerify: { attribute: CodeAttribute; pending: boolean }[];
}

export function requiresVerificationBeforeUpdate(pool: Pool): CodeAttribute[] {
  const named = pool.settings.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  return VERIFIABLE.filter((a) => named.includes(a));
}

/** UpdateUserAttributes: the user changes its own attributes. */
export function selfServiceUpdate(pool: Pool, fresh: User, changes: Record<string, string>): AttributeUpdate {
  const waits = requiresVerificationBeforeUpdate(pool);
  const set = { ...changes };
  const pending = { ...fresh.pendingAttributes };
  let pendingChanged = false;
  const toVerify: AttributeUpdate['toVerify'] = [];
  for (const a of VERIFIABLE) {
    if (!(a in changes)) continue;
    const value = changes[a]!;
    if (a in pending && (value !== pending[a] || !waits.includes(a))) {
      delete pending[a];
      pendingChanged = true;
    }
    if (value === fresh.attributes[a]) {
      if (waits.includes(a)) delete set[a];
      continue;
    }
    if (waits.includes(a) && value !== '') {
      delete set[a];
      pending[a] = value;
      pendingChanged = true;
      toVerify.push({ attribute: a, pending: true });
    } else {
      set[`${a}_verified`] = 'false';
      toVerify.push({ attribute: a, pending: false });
    }
  }
  return { patch: { set, ...(pendingChanged ? { pending } : {}) }, toVerify };
}

/** AdminUpdateUserAttributes: a blank value deletes; `<a>_verified: true` applies the value at once (no code). */
export function adminUpdate(pool: Pool, fresh: User, changes: Record<string, string>): AttributeUpdate {
  const waits = requiresVerificationBeforeUpdate(pool);
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const [name, value] of Object.entries(changes)) {
    if (value !== '') set[name] = value;
    else remove.push(name, ...(name === 'email' || name === 'phone_number' ? [`${name}_verified`] : []));
  }
  const pending = { ...fresh.pendingAttributes };
  let pendingChanged = false;
  const drop = (a: CodeAttribute) => {
    if (a in pending) {
      delete pending[a];
      pendingChanged = true;
    }
  };
  const toVerify: AttributeUpdate['toVerify'] = [];
  for (const a of VERIFIABLE) {
    const verifiedFlag = changes[`${a}_verified`];
    if (!(a in changes)) {
      // Marking the attribute verified confirms the value that waits, as VerifyUserAttribute would.
      if (verifiedFlag === 'true' && a in pending) {
        set[a] = pending[a]!;
        drop(a);
      }
      continue;
    }
    const value = changes[a]!;
    drop(a);
    if (value === '' || value === fresh.attributes[a]) continue;
    if (verifiedFlag === 'true') continue; // set verified in the same request: updated at once, no message
    if (waits.includes(a)) {
      delete set[a];
      delete set[`${a}_verified`];
      pending[a] = value;
      pendingChanged = true;
      toVerify.push({ attribute: a, pending: true });
    } else {
      if (verifiedFlag === undefined) set[`${a}_verified`] = 'false';
      if (verifiedFlag === undefined) toVerify.push({ attribute: a, pending: false });
    }
  }
  return { patch: { set, remove, ...(pendingChanged ? { pending } : {}) }, toVerify };
}

/** VerifyUserAttribute: the attribute becomes verified; a value that waited replaces the current one. */
export function verifiedUpdate(fresh: User, attribute: CodeAttribute): UserPatch {
  const waiting = fresh.pendingAttributes?.[attribute];
  if (waiting === undefined) return { set: { [`${attribute}_verified`]: 'true' } };
  const { [attribute]: _, ...rest } = fresh.pendingAttributes!;
  return { set: { [attribute]: waiting, [`${attribute}_verified`]: 'true' }, pending: rest };
}

/** The user with the waiting value of `attribute` in place: where its verification code goes. */
export function withPending(user: User, attribute: CodeAttribute): User {
  const waiting = user.pendingAttributes?.[attribute];
  return waiting === undefined ? user : { ...user, attributes: { ...user.attributes, [attribute]: waiting } };
}
