// Strings the databases cannot keep: U+0000 (PostgreSQL refuses it in text: "invalid byte sequence for encoding
// UTF8: 0x00") and unpaired UTF-16 surrogates (both drivers write them as U+FFFD, so another string would be stored
// and matched). Such input is the client's fault, answered as bad input before anything reaches the database — in a
// body, a path, a query, or inside a token (a JWT's header and claims are read, e.g. its `kid`, before it is verified).

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const MAX_TOKEN = 16_384;

/** True when the string holds a character the databases cannot store as it is. */
export function unstorable(s: string): boolean {
  return UNSTORABLE.test(s);
}

/** True when any string (or object key) inside a JSON value is unstorable. */
export function containsUnstorable(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return unstorable(value);
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => containsUnstorable(v, depth + 1));
  return Object.entries(value).some(([k, v]) => unstorable(k) || containsUnstorable(v, depth + 1));
}

/** True when the string is a compact JWS whose header or claims carry an unstorable string (e.g. a kid with NUL). */
export function unstorableToken(s: string): boolean {
  if (s.length > MAX_TOKEN || !JWS.test(s)) return false;
  const [head, claims] = s.split('.');
  return [head!, claims!].some((part) => {
    const text = Buffer.from(part, 'base64url').toString('utf8');
    // Decoded UTF-8 holds no lone surrogate, and JSON no raw U+0000 (a control character: not JSON): an unstorable
    // string can only come from a \u escape. Without one, nothing parsed from the text can be unstorable.
    if (!text.includes('\\u')) return false;
    try {
      return containsUnstorable(JSON.parse(text));
    } catch {
      return false; // not JSON: not a token Corral would read
    }
  });
}

/** Either of the above: what a string from a client must not be. */
export function badString(s: string): boolean {
  return unstorable(s) || unstorableToken(s);
}
