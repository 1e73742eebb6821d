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

// Query parameters of the hosted endpoints (/oauth2/*, /saml2/*) that carry a credential or a user's data: the
// provider's authorization code, Sign in with Apple's id_token and `user`, the state binding a sign-in, a SAML
// response. The request log shows their values redacted.
const URL_SECRETS = new Set(['code', 'id_token', 'access_token', 'refresh_token', 'user', 'state', 'samlresponse']);
const HOSTED_PATH = /\/(?:oauth2|saml2)\//;

/** The URL as the request log shows it: on /oauth2/* and /saml2/* paths, the values of URL_SECRETS redacted. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0 || !HOSTED_PATH.test(url.slice(0, q))) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: compared as it is
      }
      return URL_SECRETS.has(name.toLowerCase()) ? `${rawName}=REDACTED` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}
