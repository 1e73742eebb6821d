import { describe, expect, it } from 'vitest';
import { checkPassword, describePolicy, effectivePolicy, PASSWORD_SYMBOLS, passwordFailure } from '../../src/domain/password-policy.js';
import { InvalidPasswordException } from '../../src/errors.js';

const ALL = { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true };

function thrown(fn: () => void): InvalidPasswordException {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidPasswordException);
    return err as InvalidPasswordException;
  }
  throw new Error('expected InvalidPasswordException');
}

describe('checkPassword', () => {
  it('accepts a password that meets every rule', () => {
    expect(() => checkPassword(ALL, 'Passw0rd!')).not.toThrow();
  });

  it("reports each rule with Cognito's message", () => {
    const cases: [string, string][] = [
      ['Pa0!', 'Password not long enough'],
      ['password0!', 'Password must have uppercase characters'],
      ['PASSWORD0!', 'Password must have lowercase characters'],
      ['Password!!', 'Password must have numeric characters'],
      ['Passw0rdxx', 'Password must have symbol characters'],
    ];
    for (const [pw, failure] of cases) {
      const err = thrown(() => checkPassword(ALL, pw));
      expect(err.message).toBe(`Password did not conform with policy: ${failure}`);
      expect(err.type).toBe('InvalidPasswordException');
    }
  });

  it('checks in order: length, uppercase, lowercase, numbers, symbols', () => {
    expect(passwordFailure(ALL, 'abc')).toBe('Password not long enough');
    expect(passwordFailure(ALL, '12345678')).toBe('Password must have uppercase characters');
    expect(passwordFailure(ALL, 'ABCDEFGH')).toBe('Password must have lowercase characters');
    expect(passwordFailure(ALL, 'ABCDefgh')).toBe('Password must have numeric characters');
    expect(passwordFailure(ALL, 'ABCDefg1')).toBe('Password must have symbol characters');
  });

  it('uses the "does not conform to policy" wording when asked', () => {
    expect(thrown(() => checkPassword(ALL, 'short', { wording: 'does' })).message).toBe('Password does not conform to policy: Password not long enough');
  });

  it('counts every listed symbol, and space, as a symbol', () => {
    for (const s of PASSWORD_SYMBOLS) expect(passwordFailure(ALL, `Passw0rd${s}`), JSON.stringify(s)).toBeUndefined();
    expect(PASSWORD_SYMBOLS).toContain(' ');
    expect(PASSWORD_SYMBOLS.length).toBe(33);
    // Not symbols in Cognito's set: other punctuation and non-ASCII.
    for (const s of ['€', '§', '£', '¡']) expect(passwordFailure(ALL, `Passw0rd${s}`)).toBe('Password must have symbol characters');
  });

  it('treats only Basic Latin letters and ASCII digits as letters and numbers', () => {
    expect(passwordFailure(ALL, 'ÉCOLE12!')).toBe('Password must have lowercase characters');
    expect(passwordFailure(ALL, 'école12!')).toBe('Password must have uppercase characters');
    expect(passwordFailure({ MinimumLength: 6, RequireNumbers: true }, 'abcdef٣')).toBe('Password must have numeric characters');
  });

  it('honours the minimum length exactly', () => {
    const p = { MinimumLength: 12 };
    expect(passwordFailure(p, 'a'.repeat(11))).toBe('Password not long enough');
    expect(passwordFailure(p, 'a'.repeat(12))).toBeUndefined();
  });

  it("applies Cognito's default policy when the pool has none, and model defaults for missing flags", () => {
    expect(effectivePolicy(undefined)).toEqual(ALL);
    expect(passwordFailure(undefined, 'password')).toBe('Password must have uppercase characters');
    expect(effectivePolicy({ RequireNumbers: true })).toEqual({
      MinimumLength: 8,
      RequireUppercase: false,
      RequireLowercase: false,
      RequireNumbers: true,
      RequireSymbols: false,
    });
    expect(passwordFailure({ MinimumLength: 6 }, 'aaaaaa')).toBeUndefined();
  });
});

describe('describePolicy', () => {
  it('lists the requirements in check order', () => {
    const lines = describePolicy(ALL);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('At least 8 characters');
    expect(lines[1]).toMatch(/uppercase/);
    expect(lines[2]).toMatch(/lowercase/);
    expect(lines[3]).toMatch(/number/);
    expect(lines[4]).toMatch(/special character or space: \^ \$ \*/);
  });

  it('lists only what the policy requires', () => {
    expect(describePolicy({ MinimumLength: 10, RequireNumbers: true })).toEqual(['At least 10 characters', 'At least 1 number (0–9)']);
  });
});
