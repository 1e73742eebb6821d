// The user import CSV file as Cognito reads it (Developer Guide, "Creating the user import .csv file"): the first
// row is the header GetCSVHeader gives (the column order does not matter, every column must be there); values are
// not quoted, a comma inside a value is written `\,`; leading and trailing white space is trimmed; a row is at most
// 16,000 characters. Each row is checked as Cognito checks it — cognito:username (no spaces or tabs),
// cognito:mfa_enabled (true or false, true when the pool requires MFA, false when MFA is off), the verified flags,
// email / phone_number when verified, at least one of the pool's auto-verified attributes verified (the only one,
// when the pool has one), birthdate mm/dd/yyyy, updated_at in epoch seconds, the schema (types, lengths, formats,
// required attributes) as AdminCreateUser checks it — and refused with the reason, which the job logs by line
// number (never the values). Pure: no storage.
import { CognitoError } from '../errors.js';
import { poolSchema } from './attribute-schema.js';
import type { Pool } from './pools.js';
import { resolveSignUpName } from './signup-rules.js';
import { checkAttributeWrite, checkRequired, type Attributes } from './user-attributes.js';

export const USERNAME_COLUMN = 'cognito:username';
export const MFA_COLUMN = 'cognito:mfa_enabled';
/** The longest row Cognito reads, in characters. */
export const MAX_ROW_CHARS = 16_000;
/** Schema attributes that are not columns: the server's `sub`, and `identities` (federated users only). */
const NOT_COLUMNS = new Set(['sub', 'identities']);
const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const BIRTHDATE = /^(0[1-9]|1[0-2])\/(0[1-9]|[12][0-9]|3[01])\/[0-9]{4}$/;

/** GetCSVHeader: every attribute of the pool's schema but `sub` and `identities`, custom ones included, in the
 *  schema's order, then cognito:mfa_enabled and cognito:username (Cognito's sample response). */
export function csvHeader(pool: Pool): string[] {
  return [
    ...poolSchema(pool)
      .map((a) => a.Name ?? '')
      .filter((n) => n && !NOT_COLUMNS.has(n)),
    MFA_COLUMN,
    USERNAME_COLUMN,
  ];
}

/** A row's values: split at commas not preceded by a backslash (`\,` is a comma in a value). */
export function splitRow(line: string): string[] {
  const out: string[] = [];
  let field = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && line[i + 1] === ',') {
      field += ',';
      i++;
    } else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

export interface CsvLayout {
  columns: string[];
  usernameAt: number;
  mfaAt: number;
}

/** The header row → the layout, or why the file cannot be imported (the job fails with it). */
export function parseHeader(pool: Pool, line: string): { ok: true; layout: CsvLayout } | { ok: false; message: string } {
  const columns = splitRow(line.replace(/^\uFEFF/, '')).map((c) => c.trim());
  const expected = csvHeader(pool);
  const known = new Set(expected);
  const seen = new Set<string>();
  for (const c of columns) {
    if (!known.has(c))
      return { ok: false, message: `The CSV header has a column that is not an attribute of the user pool: ${JSON.stringify(c.slice(0, 64))}.` };
    if (seen.has(c)) return { ok: false, message: `The CSV header has the column ${c} twice.` };
    seen.add(c);
  }
  const missing = expected.filter((c) => !seen.has(c));
  if (missing.length)
    return { ok: false, message: `The CSV header lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (GetCSVHeader lists them all).` };
  return { ok: true, layout: { columns, usernameAt: columns.indexOf(USERNAME_COLUMN), mfaAt: columns.indexOf(MFA_COLUMN) } };
}

/** A row that can be stored: its username (undefined: the sub, in a pool whose usernames are emails or phone numbers),
 *  attributes and whether SMS MFA is on. */
export interface ImportRow {
  username?: string;
  attributes: Attributes;
  mfaEnabled: boolean;
}

export type RowCheck = { ok: true; row: ImportRow } | { ok: false; reason: string };

const refuse = (reason: string): RowCheck => ({ ok: false, reason });

/** "Attributes did not conform to the schema: …" as it is; other attribute errors ("Invalid email address format.")
 *  said to be the schema's. */
function schemaRefusal(err: CognitoError): string {
  return err.message.startsWith('Attributes did not conform to the schema') ? err.message : `The user data doesn't match the schema: ${err.message}`;
}

/** The pool's rule on verified attributes: which of them a row must verify (all of `every`, or one of `any`). */
export function verificationRule(pool: Pool): ('email' | 'phone_number')[] {
  return (pool.settings.AutoVerifiedAttributes ?? []).filter((a): a is 'email' | 'phone_number' => a === 'email' || a === 'phone_number');
}

/** Checks one data row (already known not to be empty) against the layout and the pool. */
export function checkRow(pool: Pool, layout: CsvLayout, line: string): RowCheck {
  if (line.length > MAX_ROW_CHARS) return refuse(`The row is longer than ${MAX_ROW_CHARS.toLocaleString('en-US')} characters.`);
  const values = splitRow(line).map((v) => v.trim());
  if (values.length !== layout.columns.length) return refuse(`The row has ${values.length} values; the header has ${layout.columns.length} columns.`);

  const username = values[layout.usernameAt]!;
  if (!username) return refuse('The cognito:username field is required.');
  if (/[\s]/u.test(username)) return refuse('The cognito:username field cannot contain spaces or tabs.');
  if ([...username].length > 128 || !USERNAME.test(username)) return refuse('The cognito:username field is not a valid username.');

  const mfaText = values[layout.mfaAt]!.toLowerCase();
  if (mfaText !== 'true' && mfaText !== 'false') return refuse('The cognito:mfa_enabled field is required: true or false.');
  const mfaEnabled = mfaText === 'true';
  const mfa = pool.settings.MfaConfiguration ?? 'OFF';
  if (mfa === 'ON' && !mfaEnabled) return refuse('The cognito:mfa_enabled field must be true: MFA is required in the user pool.');
  if (mfa === 'OFF' && mfaEnabled) return refuse('The cognito:mfa_enabled field must be false: MFA is off in the user pool.');

  const list: { Name: string; Value: string }[] = [];
  for (let i = 0; i < values.length; i++) {
    if (i === layout.usernameAt || i === layout.mfaAt || values[i] === '') continue;
    list.push({ Name: layout.columns[i]!, Value: values[i]! });
  }
  let attributes: Attributes;
  try {
    attributes = checkAttributeWrite(pool, undefined, list, 'admin');
  } catch (err) {
    if (err instanceof CognitoError) return refuse(schemaRefusal(err));
    throw err;
  }
  let name;
  try {
    name = resolveSignUpName(pool, username, attributes);
  } catch (err) {
    if (err instanceof CognitoError) return refuse(err.message);
    throw err;
  }
  // In a pool whose usernames are emails or phone numbers, cognito:username is that email or number.
  for (const a of ['email', 'phone_number'] as const) {
    if (name.attributes[a] !== undefined && attributes[a] !== undefined && name.attributes[a] !== attributes[a]) {
      return refuse(
        `The cognito:username field must be the user's ${a} in a user pool whose usernames are ${a === 'email' ? 'email addresses' : 'phone numbers'}.`,
      );
    }
  }
  const attrs = name.attributes;
  if (attrs.birthdate !== undefined && !BIRTHDATE.test(attrs.birthdate)) return refuse('The birthdate field must be in the format mm/dd/yyyy.');
  if (attrs.updated_at !== undefined && !/^[0-9]+$/.test(attrs.updated_at)) return refuse('The updated_at field must be epoch time in seconds.');
  if (attrs.email_verified === 'true' && !attrs.email) return refuse('Email is required to set email_verified to true.');
  if (attrs.phone_number_verified === 'true' && !attrs.phone_number) return refuse('Phone number is required to set phone_number_verified to true.');
  const auto = verificationRule(pool);
  const verified = auto.filter((a) => attrs[`${a}_verified`] === 'true');
  if (auto.length && (auto.length === 1 ? verified.length !== 1 : verified.length === 0)) {
    return refuse('The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).');
  }
  if (mfaEnabled && !attrs.phone_number) return refuse('The cognito:mfa_enabled field is true but the user has no phone_number for SMS MFA.');
  try {
    checkRequired(pool, attrs);
  } catch (err) {
    if (err instanceof CognitoError) return refuse(schemaRefusal(err));
    throw err;
  }
  return { ok: true, row: { username: name.username, attributes: attrs, mfaEnabled } };
}
