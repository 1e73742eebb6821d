// Validates a request body against the operation's input shape from the AWS model, as AWS's front end does:
// type mismatches are SerializationException; constraint failures (required, length, range, pattern, enum) are
// AWS's "N validation error(s) detected: …" message naming each member, as each service types it (inputError).
import { InvalidParameterException, SerializationException, ValidationException, type CognitoError } from '../errors.js';
import type { ServiceModel, Shape, ShapeTraits } from './model.js';
import { containsUnstorable, unstorable, unstorableToken } from './strings.js';

/** Corral's own constraints (wire/strings.ts): what the databases cannot store is refused as any bad value is. */
const NO_UNSTORABLE = 'Member must not contain U+0000 or an unpaired UTF-16 surrogate';
const NO_UNSTORABLE_TOKEN = 'Member must be a token whose header and claims contain no U+0000 or unpaired UTF-16 surrogate';

const patterns = new Map<string, RegExp>();
function regex(p: string): RegExp {
  let r = patterns.get(p);
  if (!r) {
    // Smithy patterns are not implicitly anchored (`\{####\}` means "contains {####}"); `(?s)` is dot-all.
    const dotAll = p.includes('(?s)');
    r = new RegExp(p.replace('(?s)', ''), dotAll ? 'us' : 'u');
    patterns.set(p, r);
  }
  return r;
}

/** The pattern as AWS prints it in messages: without the ^…$ the Smithy conversion added ("[\p{L}\p{M}\p{S}\p{N}\p{P}]+"). */
function shownPattern(p: string): string {
  return p.startsWith('^') && p.endsWith('$') ? p.slice(1, -1) : p;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

// What the walk derives from the model, derived once per shape (or member) and kept: the model never changes while
// Corral runs. (The walk itself is unchanged: the same checks in the same order, the same messages.)
const NO_TRAITS: ShapeTraits = Object.freeze({});
/** A shape's traits merged with those of the member that holds it, by member (a member always holds one shape). */
const memberTraitsCache = new WeakMap<ShapeTraits, WeakMap<Shape, ShapeTraits>>();
function traitsOf(shape: Shape, memberTraits: ShapeTraits | undefined): ShapeTraits {
  if (!memberTraits) return shape.traits ?? NO_TRAITS;
  let byShape = memberTraitsCache.get(memberTraits);
  if (!byShape) memberTraitsCache.set(memberTraits, (byShape = new WeakMap()));
  let merged = byShape.get(shape);
  if (!merged) byShape.set(shape, (merged = { ...shape.traits, ...memberTraits }));
  return merged;
}
type Member = { name: string; wireName: string; target: string; traits?: ShapeTraits; required: boolean };
const membersCache = new WeakMap<Shape, Member[]>();
function membersOf(shape: Shape): Member[] {
  let members = membersCache.get(shape);
  if (!members) {
    members = Object.entries(shape.members ?? {}).map(([name, m]) => ({
      name,
      wireName: lowerFirst(name),
      target: m.target,
      traits: m.traits,
      required: !!m.traits?.required,
    }));
    membersCache.set(shape, members);
  }
  return members;
}
const enumCache = new WeakMap<Shape, { values: string[]; set: Set<string> }>();
function enumOf(shape: Shape): { values: string[]; set: Set<string> } {
  let e = enumCache.get(shape);
  if (!e) {
    const values = Object.values(shape.members ?? {}).map((m) => m.traits?.enumValue ?? '');
    enumCache.set(shape, (e = { values, set: new Set(values) }));
  }
  return e;
}
const SURROGATE = /[\ud800-\udfff]/;
/** Length in code points, as AWS counts it ([...value].length), without making the array for plain strings. */
const codePoints = (value: string) => (SURROGATE.test(value) ? [...value].length : value.length);

class Walker {
  readonly violations: string[] = [];
  /** `constraints: false` checks only types and required members (what an answer is held to: real Cognito answers
   *  break some of the model's input constraints, e.g. `phone_number_verified` is longer than an attribute name). */
  constructor(
    private readonly model: ServiceModel,
    private readonly constraints = true,
  ) {}

  shape(id: string): Shape | undefined {
    return this.model.shapes[id];
  }

  violation(path: string, value: unknown, sensitive: boolean, constraint: string) {
    const shown = value === null || value === undefined ? 'null ' : sensitive || typeof value === 'object' ? '' : `'${String(value)}' `;
    this.violations.push(`Value ${shown}at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  /** Returns the value with unknown structure members dropped. */
  visit(value: unknown, shapeId: string, path: string, memberTraits: ShapeTraits | undefined): unknown {
    const shape = this.shape(shapeId);
    if (!shape) return value; // smithy.api#Unit / prelude shapes
    const traits = traitsOf(shape, memberTraits);
    const sensitive = !!traits.sensitive;
    const where = path || 'body';
    switch (shape.type) {
      case 'structure':
      case 'union': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          throw new SerializationException(`Start of ${Array.isArray(value) ? 'list' : 'value'} found where a structure was expected at '${where}'`);
        }
        const out: Record<string, unknown> = {};
        const input = value as Record<string, unknown>;
        for (const member of membersOf(shape)) {
          const name = member.name;
          const v = input[name];
          const p = path ? `${path}.${member.wireName}` : member.wireName;
          if (v === undefined || v === null) {
            if (member.required) this.violation(p, null, false, 'Member must not be null');
            continue;
          }
          out[name] = this.visit(v, member.target, p, member.traits);
        }
        return out;
      }
      case 'list': {
        if (!Array.isArray(value)) throw new SerializationException(`Expected a list at '${where}'`);
        this.length(value.length, traits, path, value, sensitive);
        return value.map((item, i) => this.visit(item, shape.member!, `${path}.${i + 1}.member`, undefined));
      }
      case 'map': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          throw new SerializationException(`Expected a map at '${where}'`);
        }
        const entries = Object.entries(value as Record<string, unknown>);
        this.length(entries.length, traits, path, value, sensitive);
        const out: Record<string, unknown> = {};
        for (const [k, v] of entries) {
          this.visit(k, shape.key!, `${path}.${k}.key`, undefined);
          if (v === null) continue;
          out[k] = this.visit(v, shape.value!, `${path}.${k}.value`, undefined);
        }
        return out;
      }
      case 'string':
      case 'enum': {
        if (typeof value !== 'string') throw new SerializationException(notConvertible(value, 'a String'));
        if (shape.type === 'enum') {
          const allowed = enumOf(shape);
          if (this.constraints && !allowed.set.has(value))
            this.violation(path, value, sensitive, `Member must satisfy enum value set: [${allowed.values.join(', ')}]`);
          return value;
        }
        if (this.constraints && traits.length) this.length(codePoints(value), traits, path, value, sensitive);
        if (this.constraints && traits.pattern && !regex(traits.pattern).test(value)) {
          this.violation(path, value, sensitive, `Member must satisfy regular expression pattern: ${shownPattern(traits.pattern)}`);
        } else if (this.constraints && unstorable(value)) {
          this.violation(path, value, sensitive, NO_UNSTORABLE);
        } else if (this.constraints && unstorableToken(value)) {
          this.violation(path, value, true, NO_UNSTORABLE_TOKEN);
        }
        return value;
      }
      case 'integer':
      case 'long':
      case 'short':
      case 'byte': {
        if (typeof value !== 'number' || !Number.isInteger(value)) {
          throw new SerializationException(notConvertible(value, shape.type === 'long' ? 'a Long' : 'an Integer'));
        }
        this.range(value, traits, path, sensitive);
        return value;
      }
      case 'float':
      case 'double': {
        if (typeof value !== 'number') throw new SerializationException(notConvertible(value, 'a Double'));
        this.range(value, traits, path, sensitive);
        return value;
      }
      case 'boolean':
        if (typeof value !== 'boolean') throw new SerializationException(notConvertible(value, 'a Boolean'));
        return value;
      case 'timestamp':
        if (typeof value !== 'number') throw new SerializationException(notConvertible(value, 'a Timestamp'));
        return value;
      case 'blob':
        if (typeof value !== 'string') throw new SerializationException(notConvertible(value, 'a Blob'));
        this.length(Buffer.from(value, 'base64').length, traits, path, value, true);
        return value;
      default: // document
        if (this.constraints && containsUnstorable(value)) this.violation(path, value, true, NO_UNSTORABLE);
        return value;
    }
  }

  length(n: number, traits: ShapeTraits, path: string, value: unknown, sensitive: boolean) {
    const l = this.constraints ? traits.length : undefined;
    if (!l) return;
    if (l.min !== undefined && n < l.min) this.violation(path, value, sensitive, `Member must have length greater than or equal to ${l.min}`);
    if (l.max !== undefined && n > l.max) this.violation(path, value, sensitive, `Member must have length less than or equal to ${l.max}`);
  }

  range(n: number, traits: ShapeTraits, path: string, sensitive: boolean) {
    const r = this.constraints ? traits.range : undefined;
    if (!r) return;
    if (r.min !== undefined && n < r.min) this.violation(path, n, sensitive, `Member must have value greater than or equal to ${r.min}`);
    if (r.max !== undefined && n > r.max) this.violation(path, n, sensitive, `Member must have value less than or equal to ${r.max}`);
  }
}

/** AWS's JSON front end (Coral) words type mismatches as "NUMBER_VALUE can not be converted to a String" and
 * "Start of structure or map found where not expected." */
function notConvertible(v: unknown, to: string): string {
  if (Array.isArray(v)) return 'Start of list found where not expected';
  if (typeof v === 'object' && v !== null) return 'Start of structure or map found where not expected.';
  return `${jsonKind(v)} can not be converted to ${to}`;
}

function jsonKind(v: unknown): string {
  if (v === null) return 'NULL_VALUE';
  if (Array.isArray(v)) return 'START_ARRAY';
  switch (typeof v) {
    case 'number':
      return 'NUMBER_VALUE';
    case 'string':
      return 'STRING_VALUE';
    case 'boolean':
      return v ? 'TRUE_VALUE' : 'FALSE_VALUE';
    default:
      return 'START_OBJECT';
  }
}

/**
 * A model-validation failure as the service answers it. The user-pool service (cognito-idp) says
 * InvalidParameterException; the identity-pool service (cognito-identity) says ValidationException, though its
 * model declares no such error: "An error occurred (ValidationException) when calling the CreateIdentityPool
 * operation: 1 validation error detected: Value '…' at 'identityPoolName' failed to satisfy constraint: Member must
 * satisfy regular expression pattern: …" (getmoto/moto#1979; moto#4415, tested against AWS).
 */
export function inputError(model: ServiceModel, message: string): CognitoError {
  // KMS, too, answers ValidationException ("1 validation error detected: Value null at 'keyId' …").
  return model.signingName === 'cognito-identity' || model.signingName === 'kms' ? new ValidationException(message) : new InvalidParameterException(message);
}

/** Validates `body` against `shapeId` and returns the typed input (unknown members dropped). */
export function validateInput<T>(model: ServiceModel, shapeId: string | undefined, body: unknown, constraints = true): T {
  if (!shapeId) return {} as T;
  const walker = new Walker(model, constraints);
  const out = walker.visit(body, shapeId, '', undefined);
  const v = walker.violations;
  if (v.length) {
    throw inputError(model, `${v.length} validation error${v.length > 1 ? 's' : ''} detected: ${v.join('; ')}`);
  }
  return out as T;
}
