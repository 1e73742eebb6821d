// The AWS JSON 1.1 transport: POST with X-Amz-Target → SigV4 (when signed) → validation → action → JSON.
// Bodies are sent as Buffers so the content type stays exactly `application/x-amz-json-1.1` (no charset added).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  CognitoError,
  InternalErrorException,
  NotImplementedError,
  RequestEntityTooLargeException,
  SerializationException,
  UnknownOperationException,
} from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { functionCredentials, isFunctionCredentials } from '../triggers/function-credentials.js';
import { loadActions, type ActionContext } from './actions.js';
import { operationForTarget, type Operation } from './model.js';
import { verifySigV4, type VerifiedSignature } from './sigv4.js';
import { throttled } from './throttle.js';
import { validateInput } from './validate.js';
import { noteInput, noteOutput } from '../metrics.js';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const ERROR_HEADER_MAX = 1024;

/** JSON with Dates as epoch seconds, as the AWS JSON protocol writes timestamps. */
export function toWireJson(value: unknown): string {
  // The Dates are swapped out first and the rest is serialised without a replacer: a replacer function is called
  // for every key, which made a ListUsers page of 60 users 3× as costly to write.
  return JSON.stringify(withEpochSeconds(value));
}

/** `v` with every Date (at any depth) as epoch seconds; objects and arrays holding one are copied (answers may hold
 *  shared frozen values: the parsed pool settings), the rest is returned as it is. Objects with their own toJSON
 *  (other than Date) are left to it, as JSON.stringify does. */
function withEpochSeconds(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Date) return v.getTime() / 1000;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const y = withEpochSeconds(x);
      if (y !== x) (out ??= v.slice())[i] = y;
    }
    return out ?? v;
  }
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return v;
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    const y = withEpochSeconds(x);
    if (y !== x) (out ??= { ...(v as Record<string, unknown>) })[k] = y;
  }
  return out ?? v;
}

export function sendError(reply: FastifyReply, err: CognitoError): FastifyReply {
  const message = err.message;
  return (
    reply
      .status(err.status)
      .header('content-type', CONTENT_TYPE)
      .header('x-amzn-errortype', `${err.type}:`)
      // A header carries printable ASCII only, and not a whole echoed 64 KiB value (clients cap header sizes).
      .header('x-amzn-errormessage', message.replace(/[^\x20-\x7e]/g, ' ').slice(0, ERROR_HEADER_MAX))
      .send(Buffer.from(JSON.stringify({ __type: err.type, message })))
  );
}

export function asCognitoError(err: unknown, req: FastifyRequest): CognitoError {
  if (err instanceof CognitoError) return err;
  const e = err as { code?: string; statusCode?: number };
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new RequestEntityTooLargeException('Request entity too large');
  }
  // Other framing faults fastify detects (bad content-length, aborted body…) are the client's, not ours.
  if (e?.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
    return new SerializationException((err as Error).message);
  }
  // An error whose cause was logged where it arose (a database outage: once, not per request) is not logged again.
  if ((err as { logged?: unknown } | undefined)?.logged === true) req.log.debug({ err }, 'internal error');
  else req.log.error({ err }, 'internal error');
  return new InternalErrorException('An internal error occurred.');
}

export async function registerWire(server: FastifyInstance, app: Corral): Promise<void> {
  const actions = await loadActions();

  // Any content type: clients send application/x-amz-json-1.1, 1.0, application/json or text/plain.
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: app.config.bodyLimit }, (_req, body, done) => done(null, body));

  server.post('*', async (req, reply) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = operationForTarget(target);
    if (!operation) throw new UnknownOperationException(target ? `Unknown operation ${target}` : 'Missing X-Amz-Target header');
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);

    let signature: VerifiedSignature | undefined;
    if (operation.signed) {
      const admin = app.secrets.admin;
      const q = req.query as Record<string, string>;
      signature = await verifySigV4(
        { method: req.method, path: req.url.split('?')[0] ?? '/', query: q ?? {}, headers: req.headers, body: raw },
        operation.model.signingName,
        // KMS also takes the trigger functions' key pair (custom senders decrypt their codes with it).
        (id) => (id === admin.accessKeyId ? admin : operation.service === 'kms' && isFunctionCredentials(app, id) ? functionCredentials(app) : undefined),
        new Date(app.now()),
      );
    }

    let body: unknown;
    const text = raw.toString('utf8').trim();
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new SerializationException('Malformed request body: the body is not valid JSON.');
    }
    const input = validateInput(operation.model, operation.input, body);
    noteInput(req, operation, input); // metrics: a sign-in step's flow
    const handler = actions.get(`${operation.service}:${operation.name}`);
    if (!handler) throw new NotImplementedError(operation.name);

    const output = await throttled(app, operation, input, req.ip, () =>
      handler(input, {
        app,
        log: req.log as unknown as ActionContext['log'],
        requestId: req.id,
        operation,
        accessKeyId: signature?.accessKeyId,
        signingRegion: signature?.region,
        sourceIp: req.ip,
        headers: req.headers,
      }),
    );
    noteOutput(req, output); // metrics: a sign-in step that asks a challenge
    const json = toWireJson(output ?? {});
    if (app.config.checkOutput) checkOutput(operation, json);
    reply.header('content-type', CONTENT_TYPE);
    return reply.send(Buffer.from(json));
  });
}

/** Development check (CORRAL_CHECK_OUTPUT=on, set by the tests): an answer must fit the model's output shape. */
function checkOutput(operation: Operation, json: string): void {
  try {
    validateInput(operation.model, operation.output, JSON.parse(json), false);
  } catch (err) {
    throw new Error(`${operation.name} answered outside its output shape: ${(err as Error).message}`);
  }
}
