// The pool signs riders in with a username that may not look like an email, so Wild Rydes derives one from it.
export const toUsername = (email: string): string => email.trim().replace(/[@.]/g, '|');

/** Sign-in accepts an email (transformed) or a plain username (sent as typed). */
export const signInName = (value: string): string => (value.includes('@') ? toUsername(value) : value.trim());

export const looksLikeEmail = (value: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());
