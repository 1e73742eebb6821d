// The default Cognito password policy, checked as the rider types (the server still has the final word).
export interface PasswordRule {
  id: string;
  label: string;
  test: (password: string) => boolean;
}

const SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ';

export const passwordRules: PasswordRule[] = [
  { id: 'length', label: 'At least 8 characters', test: (p) => p.length >= 8 },
  { id: 'upper', label: 'An uppercase letter', test: (p) => /[A-Z]/.test(p) },
  { id: 'lower', label: 'A lowercase letter', test: (p) => /[a-z]/.test(p) },
  { id: 'number', label: 'A number', test: (p) => /[0-9]/.test(p) },
  { id: 'symbol', label: 'A symbol, like ! ? # or %', test: (p) => [...p].some((c) => SYMBOLS.includes(c)) },
];

export const meetsPolicy = (password: string): boolean => passwordRules.every((r) => r.test(password));
