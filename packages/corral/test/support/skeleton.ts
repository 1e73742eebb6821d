// Minimal valid inputs generated from the AWS model: every required member filled with a value that satisfies
// its length, range, pattern and enum constraints. Wire tests mutate these one member at a time.
import type { ServiceModel, Shape, ShapeTraits } from '../../src/wire/model.js';

// Values tried, in order, for a constrained string; the first that satisfies the shape wins (padded if too short).
const CANDIDATES = [
  'abc123',
  'us-east-1_abcDEF123',
  'us-east-1_0123abcd-ef01',
  'us-east-1:01234567-89ab-4cde-8f01-23456789abcd',
  'arn:aws:iam::000000000000:role/example-role',
  'arn:aws:s3:::example-bucket',
  'user@example.com',
  'Your code is {####}.',
  'Click {##Verify Email##} to verify.',
  'authenticated',
  'import-abc123',
  '01234567-89ab-4cde-8f01-23456789abcd',
  '123456',
  'ABCDEFGHIJKLMNOP234567',
  'a',
];

function lengthOk(n: number, t: ShapeTraits): boolean {
  return (t.length?.min ?? 0) <= n && n <= (t.length?.max ?? Infinity);
}

function matches(value: string, pattern: string | undefined): boolean {
  if (!pattern) return true;
  const dotAll = pattern.includes('(?s)');
  return new RegExp(pattern.replaceAll('(?s)', ''), dotAll ? 'su' : 'u').test(value);
}

export function validString(traits: ShapeTraits, where: string): string {
  const min = traits.length?.min ?? 0;
  for (const c of CANDIDATES) {
    for (const v of [c, c + 'a'.repeat(Math.max(0, min - c.length)), c + '0'.repeat(Math.max(0, min - c.length))]) {
      if (lengthOk([...v].length, traits) && matches(v, traits.pattern)) return v;
    }
  }
  throw new Error(`No valid value known for ${where} (pattern ${traits.pattern}, length ${JSON.stringify(traits.length)}): add a candidate`);
}

export class Skeletons {
  /** `full`: every member of every structure and one item in every list and map (not only what is required). */
  constructor(
    private readonly model: ServiceModel,
    private readonly full = false,
  ) {}

  shape(id: string): Shape | undefined {
    return this.model.shapes[id];
  }

  /** A valid value of the shape; structures get their required members only. */
  value(shapeId: string, memberTraits: ShapeTraits | undefined, where: string, depth = 0): unknown {
    const shape = this.shape(shapeId);
    const full = this.full && depth < 6;
    if (!shape) return {}; // smithy.api#Unit, documents
    const traits = { ...shape.traits, ...memberTraits };
    switch (shape.type) {
      case 'structure': {
        const out: Record<string, unknown> = {};
        for (const [name, m] of Object.entries(shape.members ?? {})) {
          if (m.traits?.required || full) out[name] = this.value(m.target, m.traits, `${where}.${name}`, depth + 1);
        }
        return out;
      }
      case 'union': {
        const [name, m] = Object.entries(shape.members ?? {})[0]!;
        return { [name]: this.value(m.target, m.traits, `${where}.${name}`) };
      }
      case 'list':
        return Array.from({ length: Math.max(traits.length?.min ?? 0, full ? 1 : 0) }, (_, i) =>
          this.value(shape.member!, undefined, `${where}[${i}]`, depth + 1),
        );
      case 'map': {
        const out: Record<string, unknown> = {};
        if ((traits.length?.min ?? 0) > 0 || full) {
          const key = this.value(shape.key!, undefined, `${where}.key`, depth + 1) as string;
          out[key] = this.value(shape.value!, undefined, `${where}.value`, depth + 1);
        }
        return out;
      }
      case 'enum':
        return Object.values(shape.members ?? {})[0]!.traits!.enumValue;
      case 'string':
        return validString(traits, where);
      case 'integer':
      case 'long':
      case 'short':
      case 'byte':
      case 'float':
      case 'double':
        return traits.range?.min ?? 1;
      case 'boolean':
        return false;
      case 'timestamp':
        return 1_700_000_000;
      case 'blob':
        return Buffer.alloc(Math.max(1, traits.length?.min ?? 1), 1).toString('base64');
      default:
        return {};
    }
  }

  /** A JSON value of the wrong type for the shape (a SerializationException), or undefined for documents. */
  wrongType(shapeId: string): unknown {
    const shape = this.shape(shapeId);
    switch (shape?.type) {
      case 'string':
      case 'enum':
      case 'blob':
        return 12345;
      case 'structure':
      case 'union':
      case 'list':
      case 'map':
      case 'integer':
      case 'long':
      case 'short':
      case 'byte':
      case 'float':
      case 'double':
      case 'timestamp':
      case 'boolean':
        return 'not-the-right-type';
      default:
        return undefined;
    }
  }
}
