// Blanking the secret-bearing members of a trigger event where a message quotes them: shared by the invocation
// records (storage/invocations.ts) and the trigger failure log line (triggers/invoke.ts), which must not carry a
// user's password or code because a function threw its event.
const SECRET_MEMBERS = [
  'password',
  'newPassword',
  'previousPassword',
  'proposedPassword',
  'temporaryPassword',
  'challengeAnswer',
  'privateChallengeParameters',
  'code',
  'secretHash',
  'clientMetadata',
  'validationData',
];
const REDACTED = '[redacted]';
const names = SECRET_MEMBERS.join('|');
// A member name quoted or bare, then its value: a string (to its closing quote, or to the end where the message was
// cut), or an object of strings (a flat map: the shape these members have).
const STRING_VALUE = new RegExp(`((["']?)\\b(?:${names})\\2\\s*[:=]\\s*)(?:"(?:[^"\\\\]|\\\\.)*(?:"|$)|'(?:[^'\\\\]|\\\\.)*(?:'|$))`, 'gi');
const OBJECT_VALUE = new RegExp(`((["']?)\\b(?:${names})\\2\\s*[:=]\\s*)\\{[^{}]*(?:\\}|$)`, 'gi');

/** The message with the values of secret-bearing members it quotes blanked (see the top of this file). */
export function redactSecrets(message: string): string {
  return message.replace(OBJECT_VALUE, `$1"${REDACTED}"`).replace(STRING_VALUE, `$1"${REDACTED}"`);
}
