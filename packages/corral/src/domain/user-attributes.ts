// User attributes checked against the pool's schema and the app client's read/write lists, as Cognito checks them.
import type { AttributeType, SchemaAttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, NotAuthorizedException } from '../errors.js';
import type { Client, Pool } from './pools.js';

import type { Attributes } from '../storage/users.js';

export type { Attributes };
export type AttributeWrite = 'signup' | 'update' | 'admin';

const VERIFIED_FLAGS = new Set(['email_verified', 'phone_number_verified']);
const EMAIL = /^[^\s@]+@[^\s@]+$/u;
const PHONE = /^\+[0-9]{4,15}$/;

export function isEmail(v: string): boolean {
  return EMAIL.test(v);
}

export function isPhoneNumber(v: string): boolean {
  return PHONE.test(v);
}

function schemaOf(pool: Pool): Map<string, SchemaAttributeType> {
  return new Map((pool.settings.SchemaAttributes ?? []).map((a) => [a.Name ?? '', a]));
}

function conform(name: string, problem: string): never {
  throw new InvalidParameterException(`Attributes did not conform to the schema: ${name}: ${problem}`);
}

/** Checks attributes a caller writes and returns them as a map. `sub` and `*_verified` are the server's, except for admins. */
export function checkAttributeWrite(pool: Pool, client: Client | undefined, list: AttributeType[] | undefined, mode: AttributeWrite): Attributes {
  const schema = schemaOf(pool);
  const out: Attributes = {};
  for (const { Name: name = '', Value: given } of list ?? []) {
    // AWS refuses an attribute sent without a Value ("Attribute value for middle_name must not be null", the
    // answer to Amplify's SignUp in aws-amplify/amplify-js#3174) rather than storing an empty one.
    if (given === undefined || given === null) throw new InvalidParameterException(`Attribute value for ${name} must not be null`);
    const def = schema.get(name);
    if (!def) conform(name, 'Attribute does not exist in the schema.');
    if (name === 'sub') conform(name, 'Attribute cannot be updated.');
    // `identities` is the server's record of a user's federated identities (a structured claim of the ID token):
    // only federated sign-ins and AdminLinkProviderForUser write it, never a caller, not even an admin.
    if (name === 'identities') conform(name, 'Attribute cannot be updated.');
    if (mode !== 'admin' && client?.settings.WriteAttributes && !client.settings.WriteAttributes.includes(name)) {
      throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
    }
    // Developer-only (dev:custom:) attributes "are read-only to all app clients. You can create and update
    // developer-only attributes only with IAM-authenticated API operations" (SchemaAttributeType, API reference):
    // a client call (SignUp, UpdateUserAttributes) may not write one even when the client has no WriteAttributes list.
    if (mode !== 'admin' && client && (def.DeveloperOnlyAttribute === true || name.startsWith('dev:'))) {
      throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
    }
    if (mode === 'update' && def.Mutable === false) conform(name, 'Attribute cannot be updated.');
    // AWS takes "True", "FALSE"… for the verified flags (Go and Python samples send "True") and keeps "true"/"false".
    const value = VERIFIED_FLAGS.has(name) ? given.toLowerCase() : given;
    if (VERIFIED_FLAGS.has(name) && value !== 'true' && value !== 'false') conform(name, 'Value must be true or false.');
    checkValue(name, value, def);
    out[name] = value;
  }
  return out;
}

function checkValue(name: string, value: string, def: SchemaAttributeType): void {
  if (name === 'phone_number' && value !== '' && !isPhoneNumber(value)) throw new InvalidParameterException('Invalid phone number format.');
  if (name === 'email' && value !== '' && !isEmail(value)) throw new InvalidParameterException('Invalid email address format.');
  const max = Number(def.StringAttributeConstraints?.MaxLength ?? 2048);
  const min = Number(def.StringAttributeConstraints?.MinLength ?? 0);
  const length = [...value].length;
  if (length > max) conform(name, `String must be no longer than ${max} characters`);
  if (length < min) conform(name, `String must be no shorter than ${min} characters`);
  if (def.AttributeDataType === 'Number' && value !== '') {
    const n = Number(value);
    if (!Number.isFinite(n)) conform(name, 'Number must be a valid number.');
    const nc = def.NumberAttributeConstraints;
    if (nc?.MinValue !== undefined && n < Number(nc.MinValue)) conform(name, `Number must be no less than ${nc.MinValue}`);
    if (nc?.MaxValue !== undefined && n > Number(nc.MaxValue)) conform(name, `Number must be no greater than ${nc.MaxValue}`);
  }
  if (def.AttributeDataType === 'Boolean' && value !== 'true' && value !== 'false') conform(name, 'Value must be true or false.');
}

/** Required attributes of the schema that a new user lacks. */
export function checkRequired(pool: Pool, attributes: Attributes): void {
  for (const def of pool.settings.SchemaAttributes ?? []) {
    if (def.Required && def.Name && def.Name !== 'sub' && !attributes[def.Name]) conform(def.Name, 'The attribute is required');
  }
}

/** Attributes as the wire returns them, limited to what the client may read (`sub` always). */
export function readableAttributes(attributes: Attributes, client?: Client): AttributeType[] {
  const readable = client?.settings.ReadAttributes;
  return Object.entries(attributes)
    .filter(([name]) => name === 'sub' || !readable || readable.includes(name))
    .map(([Name, Value]) => ({ Name, Value }));
}

export function toAttributeList(attributes: Attributes): AttributeType[] {
  return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
}

/**
 * The attributes to delete for `names` (DeleteUserAttributes, AdminDeleteUserAttributes): each must exist in the
 * schema and not be required (nor `sub`); with a client, it must be writable by it. Deleting email/phone drops its
 * `_verified` too.
 */
export function attributesToRemove(pool: Pool, client: Client | undefined, names: string[]): string[] {
  const schema = schemaOf(pool);
  const out: string[] = [];
  for (const name of names) {
    const def = schema.get(name);
    if (!def) conform(name, 'Attribute does not exist in the schema.');
    if (name === 'sub' || def.Required) conform(name, 'The attribute is required');
    if (client?.settings.WriteAttributes && !client.settings.WriteAttributes.includes(name)) {
      throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
    }
    out.push(name);
    if (name === 'email' || name === 'phone_number') out.push(`${name}_verified`);
  }
  return out;
}
