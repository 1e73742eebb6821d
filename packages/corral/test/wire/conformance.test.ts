// Conformance of the AWS JSON 1.1 transport, table-driven over every implemented action (derived from the action
// files joined with the AWS model, never listed by hand): framing, validation messages, errors, CORS, limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActions } from '../../src/wire/actions.js';
import { allOperations, services, type Operation, type ServiceKey } from '../../src/wire/model.js';
import { validateInput } from '../../src/wire/validate.js';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { Skeletons } from '../support/skeleton.js';
import { callOperation, expectWireError, rawCall } from '../support/wire.js';

const actions = await loadActions();
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

const implemented: Operation[] = [...actions.keys()].flatMap((key) => {
  const [service, name] = key.split(':') as [ServiceKey, string];
  const model = services[service];
  const op = model.operations[name];
  return op ? [{ ...op, service, name, model }] : [];
});
const unimplemented = allOperations().filter((op) => !actions.has(`${op.service}:${op.name}`));

function skeletonOf(op: Operation): Record<string, unknown> {
  return op.input ? (new Skeletons(op.model).value(op.input, undefined, op.name) as Record<string, unknown>) : {};
}

function membersOf(op: Operation) {
  const shape = op.input ? op.model.shapes[op.input] : undefined;
  return Object.entries(shape?.members ?? {}).map(([name, m]) => ({
    name,
    path: lowerFirst(name),
    required: !!m.traits?.required,
    target: m.target,
    shape: op.model.shapes[m.target],
  }));
}

let corral: TestCorral;
beforeAll(async () => {
  corral = await startTestCorral();
});
afterAll(() => corral?.stop());

describe('the action table', () => {
  it('every action file names an operation of the model', () => {
    const stray = [...actions.keys()].filter((key) => {
      const [service, name] = key.split(':') as [ServiceKey, string];
      return !services[service]?.operations[name];
    });
    expect(stray).toEqual([]);
  });

  it('the generated skeleton of every model operation passes validation', () => {
    for (const op of allOperations()) {
      expect(() => validateInput(op.model, op.input, skeletonOf(op)), `${op.service}:${op.name}`).not.toThrow();
    }
  });
});

describe.each(implemented.map((op) => [`${op.service}:${op.name}`, op] as const))('%s', (_key, op) => {
  const skeleton = skeletonOf(op);
  const members = membersOf(op);
  // Each service's type for a model-validation failure: cognito-identity and KMS answer ValidationException (wire/validate.ts).
  const invalid = op.service === 'identity' || op.service === 'kms' ? 'ValidationException' : 'InvalidParameterException';

  it('answers a body that is not JSON with SerializationException', async () => {
    expectWireError(await callOperation(corral.url, op, '{"not json'), 'SerializationException');
  });

  it(`names each missing required member (${invalid})`, async () => {
    for (const m of members.filter((m) => m.required)) {
      const { [m.name]: _dropped, ...body } = skeleton;
      const res = await callOperation(corral.url, op, JSON.stringify(body));
      expectWireError(res, invalid);
      expect(res.body.message).toBe(`1 validation error detected: Value null at '${m.path}' failed to satisfy constraint: Member must not be null`);
    }
  });

  it(`refuses a string longer than its maximum length (${invalid})`, async () => {
    for (const m of members.filter((m) => m.shape?.type === 'string' && m.shape.traits?.length?.max !== undefined)) {
      const max = m.shape!.traits!.length!.max!;
      const res = await callOperation(corral.url, op, JSON.stringify({ ...skeleton, [m.name]: 'a'.repeat(max + 1) }));
      expectWireError(res, invalid);
      expect(res.body.message).toMatch(/^\d+ validation errors? detected: /);
      expect(res.body.message).toContain(`at '${m.path}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
    }
  });

  it(`refuses a value outside an enum (${invalid})`, async () => {
    for (const m of members.filter((m) => m.shape?.type === 'enum')) {
      const res = await callOperation(corral.url, op, JSON.stringify({ ...skeleton, [m.name]: 'NOT_A_MEMBER' }));
      expectWireError(res, invalid);
      expect(res.body.message).toContain(`at '${m.path}' failed to satisfy constraint: Member must satisfy enum value set: [`);
    }
  });

  it('answers a wrong JSON type with SerializationException', async () => {
    const skeletons = new Skeletons(op.model);
    for (const m of members) {
      const wrong = skeletons.wrongType(m.target);
      if (wrong === undefined) continue;
      const res = await callOperation(corral.url, op, JSON.stringify({ ...skeleton, [m.name]: wrong }));
      expectWireError(res, 'SerializationException');
    }
    // The body itself must be a JSON object.
    expectWireError(await callOperation(corral.url, op, '[]'), 'SerializationException');
  });
});

describe('no input makes a 500', () => {
  // Valid inputs naming things that do not exist (or everything optional filled in): every action must answer with
  // a Cognito error or a success — never an internal error.
  it.each(implemented.map((op) => [`${op.service}:${op.name}`, op] as const))('%s', async (_key, op) => {
    for (const full of [false, true]) {
      const body = op.input ? new Skeletons(op.model, full).value(op.input, undefined, op.name) : {};
      const res = await callOperation(corral.url, op, JSON.stringify(body));
      expect(res.status, `${op.name} (${full ? 'all members' : 'required members'}): ${res.text}`).toBeLessThan(500);
    }
  });
});

describe('dispatch', () => {
  it('answers an unknown X-Amz-Target with UnknownOperationException', async () => {
    expectWireError(await rawCall(corral.url, { target: 'AWSCognitoIdentityProviderService.NoSuchThing', body: '{}' }), 'UnknownOperationException');
    expectWireError(await rawCall(corral.url, { target: '', body: '{}' }), 'UnknownOperationException');
  });

  it.skipIf(unimplemented.length === 0)('answers a model operation without a handler with UnsupportedOperationException naming it', async () => {
    const op = unimplemented[0]!;
    const res = await callOperation(corral.url, op, JSON.stringify(skeletonOf(op)));
    expectWireError(res, 'UnsupportedOperationException');
    expect(res.body.message).toBe(`Corral does not implement ${op.name} yet.`);
  });

  it('answers a body over the limit with a 4xx JSON error, not a reset connection', async () => {
    const big = JSON.stringify({ MaxResults: 1, NextToken: 'x'.repeat(corral.app.config.bodyLimit + 1) });
    const res = await rawCall(corral.url, { target: 'AWSCognitoIdentityService.ListIdentityPools', body: big });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('x-amzn-errortype')).toBe(`${res.body.__type}:`);
    expect(typeof res.body.message).toBe('string');
    // And the server still answers afterwards.
    expectWireError(await rawCall(corral.url, { target: 'X.Y', body: '{}' }), 'UnknownOperationException');
  });
});

describe('CORS', () => {
  const amplifyHeaders = ['content-type', 'x-amz-target', 'x-amz-user-agent', 'cache-control', 'amz-sdk-invocation-id', 'amz-sdk-request'];
  const signedHeaders = ['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'];

  it('answers a preflight from any origin with the headers Amplify and signed calls send', async () => {
    for (const origin of ['http://localhost:3000', 'https://rides.example.com']) {
      const res = await fetch(corral.url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': [...amplifyHeaders, ...signedHeaders].join(',') },
      });
      expect(res.status).toBeLessThan(300);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      for (const h of [...amplifyHeaders, ...signedHeaders]) expect(allowed).toContain(h);
    }
    // A preflight that names no headers still gets the full list.
    const bare = await fetch(corral.url, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } });
    const allowed = (bare.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of [...amplifyHeaders, ...signedHeaders]) expect(allowed).toContain(h);
  });

  it('lets a browser read the error type and message of an error', async () => {
    const res = await rawCall(corral.url, { target: 'X.Y', body: '{}', headers: { origin: 'http://localhost:3000' } });
    expectWireError(res, 'UnknownOperationException');
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase();
    expect(exposed).toContain('x-amzn-errortype');
    expect(exposed).toContain('x-amzn-errormessage');
    expect(exposed).toContain('x-amzn-requestid');
  });
});

describe('a bug in Corral', () => {
  it('answers 500 InternalErrorException without the cause', async () => {
    const broken = await startTestCorral();
    try {
      const op = allOperations().find((o) => o.service === 'identity' && o.name === 'ListIdentityPools')!;
      await broken.app.db.destroy(); // the database closes under the request
      const res = await callOperation(broken.url, op, JSON.stringify({ MaxResults: 10 }));
      expectWireError(res, 'InternalErrorException', 500);
      expect(res.body).toEqual({ __type: 'InternalErrorException', message: 'An internal error occurred.' });
    } finally {
      await broken.stop().catch(() => undefined);
    }
  });
});
