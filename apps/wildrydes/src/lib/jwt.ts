// Decodes (does not verify) a JWT so riders can see what their ID token says.
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
}

function base64UrlDecode(part: string): string {
  const padded = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('A JWT has three dot-separated parts.');
  const [header, payload, signature] = parts as [string, string, string];
  return {
    header: JSON.parse(base64UrlDecode(header)) as Record<string, unknown>,
    payload: JSON.parse(base64UrlDecode(payload)) as Record<string, unknown>,
    signature,
  };
}

export const TIME_CLAIMS = new Set(['iat', 'exp', 'auth_time', 'nbf', 'updated_at']);

export function describeClaim(name: string, value: unknown): string {
  if (TIME_CLAIMS.has(name) && typeof value === 'number') {
    return new Date(value * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'long' });
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
