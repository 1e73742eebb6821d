// A pool's attribute schema as DescribeUserPool returns it: the standard attributes, then `custom:`/`dev:custom:` ones,
// and the app client read/write permissions checked against it.
import type { SchemaAttributeType, UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../errors.js';
import type { Pool } from './pools.js';

const text = (name: string, min = '0', max = '2048', extra: Partial<SchemaAttributeType> = {}): SchemaAttributeType => ({
  Name: name,
  AttributeDataType: 'String',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
  StringAttributeConstraints: { MinLength: min, MaxLength: max },
  ...extra,
});
const flag = (name: string): SchemaAttributeType => ({
  Name: name,
  AttributeDataType: 'Boolean',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
});

/** The standard attributes, in Cognito's order, as a new pool describes them. */
export const STANDARD_ATTRIBUTES: readonly SchemaAttributeType[] = [
  text('sub', '1', '2048', { Mutable: false, Required: true }),
  ...['name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'email'].map((n) => text(n)),
  flag('email_verified'),
  text('gender'),
  text('birthdate', '10', '10'),
  text('zoneinfo'),
  text('locale'),
  text('phone_number'),
  flag('phone_number_verified'),
  text('address'),
  {
    Name: 'updated_at',
    AttributeDataType: 'Number',
    DeveloperOnlyAttribute: false,
    Mutable: true,
    Required: false,
    NumberAttributeConstraints: { MinValue: '0' },
  },
  { Name: 'identities', AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: true, Required: false, StringAttributeConstraints: {} },
];

const STANDARD_NAMES = new Set(STANDARD_ATTRIBUTES.map((a) => a.Name!));
export const MAX_CUSTOM_ATTRIBUTES = 50;

export function isStandardAttribute(name: string): boolean {
  return STANDARD_NAMES.has(name);
}

export function isCustomAttribute(name: string): boolean {
  return name.startsWith('custom:') || name.startsWith('dev:');
}

const invalid = (m: string): never => {
  throw new InvalidParameterException(m);
};

/**
 * One custom attribute as the schema stores it, defaults filled in. Its name is `custom:<name>`, or
 * `dev:custom:<name>` when DeveloperOnlyAttribute is set — what AWS's CreateUserPool example answers
 * (`"Name": "dev:custom:mydev"`, API reference) and moto's tests record. Only the constraints of its own type are
 * kept (a String attribute drops NumberAttributeConstraints and the reverse; a Boolean or DateTime keeps neither).
 */
export function customAttribute(def: SchemaAttributeType): SchemaAttributeType {
  const bare = (def.Name ?? '').replace(/^(dev:)?(custom:)?/, '');
  if (!bare) invalid('Attribute name must not be empty.');
  if (def.Required) invalid('Required custom attributes are not supported currently.');
  const type = def.AttributeDataType ?? 'String';
  const dev = def.DeveloperOnlyAttribute === true;
  const name = `${dev ? 'dev:' : ''}custom:${bare}`;
  const out: SchemaAttributeType = {
    Name: name,
    AttributeDataType: type,
    DeveloperOnlyAttribute: dev,
    Mutable: def.Mutable ?? true,
    Required: false,
  };
  if (type === 'String') out.StringAttributeConstraints = checkLengths(name, def.StringAttributeConstraints ?? {});
  if (type === 'Number') out.NumberAttributeConstraints = checkBounds(name, def.NumberAttributeConstraints ?? {});
  return out;
}

// Schema constraint messages as AWS words them (recorded in moto's cognito-idp tests, e.g.
// test_create_user_pool_string_schema_max_length_over_2048, …_number_schema_min_bigger_than_max,
// test_create_user_pool_invalid_schema_values), `name` being the attribute's full name (`custom:age`).
const INTEGER = /^-?[0-9]+$/;

function checkLengths(name: string, c: NonNullable<SchemaAttributeType['StringAttributeConstraints']>) {
  const parse = (v: string | undefined) => {
    if (v === undefined) return undefined;
    if (!INTEGER.test(v) || Number(v) < 0) invalid(`Invalid StringAttributeConstraints for schema attribute ${name}`);
    return Number(v);
  };
  const min = parse(c.MinLength);
  const max = parse(c.MaxLength);
  if ((min ?? 0) > 2048 || (max ?? 0) > 2048) invalid(`user.${name}: String attributes cannot have a length of more than 2048`);
  if (min !== undefined && max !== undefined && min > max) invalid(`user.${name}: Max length cannot be less than min length.`);
  return { ...(c.MinLength !== undefined ? { MinLength: c.MinLength } : {}), ...(c.MaxLength !== undefined ? { MaxLength: c.MaxLength } : {}) };
}

function checkBounds(name: string, c: NonNullable<SchemaAttributeType['NumberAttributeConstraints']>) {
  const parse = (v: string | undefined) => {
    if (v === undefined) return undefined;
    if (!INTEGER.test(v)) invalid(`Invalid NumberAttributeConstraints for schema attribute ${name}`);
    return Number(v);
  };
  const min = parse(c.MinValue);
  const max = parse(c.MaxValue);
  if (min !== undefined && max !== undefined && min > max) invalid(`user.${name}: Max value cannot be less than min value.`);
  return { ...(c.MinValue !== undefined ? { MinValue: c.MinValue } : {}), ...(c.MaxValue !== undefined ? { MaxValue: c.MaxValue } : {}) };
}

/** Appends custom attributes to a schema, refusing duplicates and going past 50. */
export function withCustomAttributes(schema: SchemaAttributeType[], defs: SchemaAttributeType[]): SchemaAttributeType[] {
  const out = [...schema];
  for (const def of defs) {
    const attr = customAttribute(def);
    // "custom:banana: Existing attribute already has name dev:custom:banana." (moto's
    // test_add_custom_attributes_existing_attribute): a name is taken whether it was custom or developer-only.
    const bare = attr.Name!.replace(/^(dev:)?custom:/, '');
    const taken = out.find((a) => a.Name === `custom:${bare}` || a.Name === `dev:custom:${bare}`);
    if (taken) invalid(`custom:${bare}: Existing attribute already has name ${taken.Name}.`);
    out.push(attr);
  }
  if (out.filter((a) => isCustomAttribute(a.Name ?? '')).length > MAX_CUSTOM_ATTRIBUTES) {
    invalid(`A user pool can have at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`);
  }
  return out;
}

/** The schema of a new pool from CreateUserPool's Schema: standard attributes (some marked required/immutable) plus custom ones. */
export function buildSchema(defs: SchemaAttributeType[] = []): SchemaAttributeType[] {
  const standard = STANDARD_ATTRIBUTES.map((a) => structuredClone(a));
  const custom: SchemaAttributeType[] = [];
  const seen = new Set<string>();
  for (const def of defs) {
    const name = def.Name ?? '';
    if (seen.has(name)) invalid(`Duplicate attribute name ${name} in the schema.`);
    seen.add(name);
    const std = standard.find((a) => a.Name === name);
    if (!std) {
      custom.push(def);
      continue;
    }
    if (name === 'sub' && (def.Mutable === true || def.Required === false)) invalid('sub attribute cannot be modified.');
    if (def.AttributeDataType && def.AttributeDataType !== std.AttributeDataType) invalid(`Invalid AttributeDataType input for ${name}.`);
    if (def.Required !== undefined) std.Required = def.Required;
    if (def.Mutable !== undefined) std.Mutable = def.Mutable;
    // A standard attribute keeps the constraints of its own type only (checked as for custom ones).
    if (def.StringAttributeConstraints && std.AttributeDataType === 'String') {
      std.StringAttributeConstraints = { ...std.StringAttributeConstraints, ...checkLengths(name, def.StringAttributeConstraints) };
    }
    if (def.NumberAttributeConstraints && std.AttributeDataType === 'Number') {
      std.NumberAttributeConstraints = { ...std.NumberAttributeConstraints, ...checkBounds(name, def.NumberAttributeConstraints) };
    }
  }
  return withCustomAttributes(standard, custom);
}

/** The full attribute list of a pool (what DescribeUserPool returns as SchemaAttributes). */
export function poolSchema(pool: Pool): SchemaAttributeType[] {
  return pool.settings.SchemaAttributes ?? STANDARD_ATTRIBUTES.map((a) => structuredClone(a));
}

export function schemaAttribute(pool: Pool, name: string): SchemaAttributeType | undefined {
  return poolSchema(pool).find((a) => a.Name === name);
}

type ClientPermissions = Pick<UserPoolClientType, 'ReadAttributes' | 'WriteAttributes'>;

/** Whether an app client may read an attribute (no ReadAttributes list: every attribute; `sub` always). */
export function isReadable(client: { settings: ClientPermissions }, attr: string): boolean {
  const list = client.settings.ReadAttributes;
  return attr === 'sub' || !list || list.includes(attr);
}

/** Whether an app client may write an attribute (no WriteAttributes list: all but sub, `dev:custom:` and `*_verified`). */
export function isWritable(client: { settings: ClientPermissions }, attr: string): boolean {
  const list = client.settings.WriteAttributes;
  if (list) return list.includes(attr);
  return attr !== 'sub' && attr !== 'identities' && !attr.startsWith('dev:') && !attr.endsWith('_verified');
}

/** Checks a client's ReadAttributes/WriteAttributes against the pool's schema; returns them sorted as Cognito does. */
export function checkClientPermissions(pool: Pool, read: string[] | undefined, write: string[] | undefined, verb: 'creating' | 'updating'): ClientPermissions {
  const names = new Set(poolSchema(pool).map((a) => a.Name));
  if (read?.some((n) => !names.has(n))) invalid(`Invalid read attributes specified while ${verb} a client`);
  if (write?.some((n) => !names.has(n) || n === 'sub' || n === 'identities' || n.startsWith('dev:')))
    invalid(`Invalid write attributes specified while ${verb} a client`);
  const sorted = (l: string[] | undefined) => (l ? [...new Set(l)].sort() : undefined);
  return { ReadAttributes: sorted(read), WriteAttributes: sorted(write) };
}
