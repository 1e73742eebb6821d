// A pool's attribute schema as DescribeUserPool returns it: the standard attributes, then `custom:`/`dev:` ones,
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
  { Name: 'updated_at', AttributeDataType: 'Number', DeveloperOnlyAttribute: false, Mutable: true, Required: false, NumberAttributeConstraints: { MinValue: '0' } },
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

/** One custom attribute as the schema stores it (`custom:` or `dev:` prefixed, defaults filled in). */
export function customAttribute(def: SchemaAttributeType): SchemaAttributeType {
  const bare = (def.Name ?? '').replace(/^(custom|dev):/, '');
  if (!bare) invalid('Attribute name must not be empty.');
  if (def.Required) invalid('Required custom attributes are not supported currently.');
  const type = def.AttributeDataType ?? 'String';
  const dev = def.DeveloperOnlyAttribute === true;
  const out: SchemaAttributeType = {
    Name: `${dev ? 'dev' : 'custom'}:${bare}`,
    AttributeDataType: type,
    DeveloperOnlyAttribute: dev,
    Mutable: def.Mutable ?? true,
    Required: false,
  };
  if (type === 'String') out.StringAttributeConstraints = checkLengths(def.StringAttributeConstraints ?? {});
  if (type === 'Number') out.NumberAttributeConstraints = checkBounds(def.NumberAttributeConstraints ?? {});
  return out;
}

function checkLengths(c: NonNullable<SchemaAttributeType['StringAttributeConstraints']>) {
  const min = c.MinLength === undefined ? undefined : Number(c.MinLength);
  const max = c.MaxLength === undefined ? undefined : Number(c.MaxLength);
  for (const v of [min, max]) if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 2048)) invalid('Invalid String constraints: lengths must be between 0 and 2048.');
  if (min !== undefined && max !== undefined && min > max) invalid('Invalid String constraints: MinLength must not be greater than MaxLength.');
  return { ...c };
}

function checkBounds(c: NonNullable<SchemaAttributeType['NumberAttributeConstraints']>) {
  const min = c.MinValue === undefined ? undefined : Number(c.MinValue);
  const max = c.MaxValue === undefined ? undefined : Number(c.MaxValue);
  for (const v of [min, max]) if (v !== undefined && !Number.isFinite(v)) invalid('Invalid Number constraints: values must be numbers.');
  if (min !== undefined && max !== undefined && min > max) invalid('Invalid Number constraints: MinValue must not be greater than MaxValue.');
  return { ...c };
}

/** Appends custom attributes to a schema, refusing duplicates and going past 50. */
export function withCustomAttributes(schema: SchemaAttributeType[], defs: SchemaAttributeType[]): SchemaAttributeType[] {
  const out = [...schema];
  for (const def of defs) {
    const attr = customAttribute(def);
    if (out.some((a) => a.Name === attr.Name)) invalid(`Existing attribute already has name ${attr.Name}.`);
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
    if (def.StringAttributeConstraints && std.StringAttributeConstraints) {
      std.StringAttributeConstraints = { ...std.StringAttributeConstraints, ...checkLengths(def.StringAttributeConstraints) };
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

/** Whether an app client may write an attribute (no WriteAttributes list: all but sub, `dev:` and `*_verified`). */
export function isWritable(client: { settings: ClientPermissions }, attr: string): boolean {
  const list = client.settings.WriteAttributes;
  if (list) return list.includes(attr);
  return attr !== 'sub' && attr !== 'identities' && !attr.startsWith('dev:') && !attr.endsWith('_verified');
}

/** Checks a client's ReadAttributes/WriteAttributes against the pool's schema; returns them sorted as Cognito does. */
export function checkClientPermissions(pool: Pool, read: string[] | undefined, write: string[] | undefined, verb: 'creating' | 'updating'): ClientPermissions {
  const names = new Set(poolSchema(pool).map((a) => a.Name));
  if (read?.some((n) => !names.has(n))) invalid(`Invalid read attributes specified while ${verb} a client`);
  if (write?.some((n) => !names.has(n) || n === 'sub' || n.startsWith('dev:'))) invalid(`Invalid write attributes specified while ${verb} a client`);
  const sorted = (l: string[] | undefined) => (l ? [...new Set(l)].sort() : undefined);
  return { ReadAttributes: sorted(read), WriteAttributes: sorted(write) };
}
