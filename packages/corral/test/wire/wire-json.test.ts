// toWireJson (wire/http.ts): timestamps as epoch seconds at any depth, everything else exactly as JSON.stringify
// writes it — checked against the replacer it replaced, on answers shaped like Corral's.
import { describe, expect, it } from 'vitest';
import { toWireJson } from '../../src/wire/http.js';

/** The former implementation: a replacer swapping each Date for epoch seconds. */
const reference = (value: unknown) =>
  JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });

describe('toWireJson', () => {
  const at = new Date(1_700_000_123_456);
  const cases: Record<string, unknown> = {
    'a page of users': {
      Users: Array.from({ length: 3 }, (_, i) => ({
        Username: `u${i}`,
        Attributes: [{ Name: 'email', Value: `u${i}@example.com` }],
        UserCreateDate: at,
        UserLastModifiedDate: new Date(at.getTime() + i),
        Enabled: true,
        MFAOptions: undefined,
      })),
      PaginationToken: 'abc',
    },
    'a frozen shared value': Object.freeze({ UserPool: Object.freeze({ Id: 'p', CreationDate: at, Policies: Object.freeze({ a: [at, 1, null] }) }) }),
    'a bare Date': at,
    'an invalid Date': { d: new Date(NaN) },
    'values with their own toJSON': { b: Buffer.from('hi'), u: new URL('https://example.com/x'), n: [1, 'two', false, null] },
    'sparse arrays and undefined': { a: [1, , 3], x: undefined, y: [undefined] },
    'no Date at all': { a: { b: { c: 'd' } }, e: [] },
  };
  for (const [name, value] of Object.entries(cases)) {
    it(`writes ${name} as the replacer did`, () => {
      expect(toWireJson(value)).toBe(reference(value));
    });
  }

  it('writes Dates as epoch seconds and leaves the value it was given unchanged', () => {
    const value = { a: [{ at }], at };
    expect(JSON.parse(toWireJson(value))).toEqual({ a: [{ at: 1_700_000_123.456 }], at: 1_700_000_123.456 });
    expect(value.a[0]!.at).toBe(at);
    expect(value.at).toBe(at);
  });
});
