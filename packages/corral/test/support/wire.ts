// Raw AWS JSON 1.1 calls for wire tests: any body, signed with SigV4 when asked, and the error contract checked.
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { expect } from 'vitest';
import type { Operation } from '../../src/wire/model.js';
import { TEST_CREDENTIALS } from './corral.js';

export interface WireResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

export interface RawCall {
  target: string;
  body: string;
  /** SigV4 signing name (`cognito-idp` / `cognito-identity`), or undefined for an unsigned call. */
  signingName?: string;
  headers?: Record<string, string>;
}

export async function rawCall(url: string, call: RawCall): Promise<WireResponse> {
  const u = new URL(url);
  let headers: Record<string, string> = {
    host: u.host,
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': call.target,
    ...call.headers,
  };
  if (call.signingName) {
    const signer = new SignatureV4({ credentials: TEST_CREDENTIALS, region: 'us-east-1', service: call.signingName, sha256: Sha256 });
    const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: '/', headers, body: call.body });
    headers = signed.headers as Record<string, string>;
  }
  const { host: _host, ...sent } = headers;
  const res = await fetch(url, { method: 'POST', headers: sent, body: call.body });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* checked by the caller */
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** Calls an operation of the model, signed when the operation is signed. */
export function callOperation(url: string, op: Operation, body: string): Promise<WireResponse> {
  return rawCall(url, { target: `${op.model.targetPrefix}.${op.name}`, body, signingName: op.signed ? op.model.signingName : undefined });
}

/** Every Cognito error: non-2xx, JSON `{__type, message}`, and the x-amzn-ErrorType / x-amzn-ErrorMessage headers. */
export function expectWireError(res: WireResponse, type: string, status = 400): void {
  expect(res.status, res.text).toBe(status);
  expect(res.body.__type, res.text).toBe(type);
  expect(typeof res.body.message, res.text).toBe('string');
  expect(res.headers.get('x-amzn-errortype')).toBe(`${type}:`);
  expect(res.headers.get('x-amzn-errormessage')).toBe(
    String(res.body.message)
      .replace(/[^\x20-\x7e]/g, ' ')
      .slice(0, 1024),
  );
  expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
}
