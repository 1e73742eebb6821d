// One check, before any handler (so before any query), of the strings a request carries outside a wire body: its
// path parameters, query string, form body and the credentials of its Authorization header (Basic client id and
// secret, Bearer token). A string the databases cannot store (wire/strings.ts) is bad input, answered in each
// endpoint's own terms:
//   the wire protocol (POST with X-Amz-Target)        400 the service's validation error (InvalidParameterException
//                                                      for cognito-idp, ValidationException for cognito-identity:
//                                                      inputError); its JSON body is checked member by member in
//                                                      wire/validate.ts
//   /…/oauth2/* (token, userInfo, revoke)             400 {"error":"invalid_request"} as those endpoints answer
//   /…/oauth2/authorize, /…/login, /…/logout           400 the hosted pages' error page (invalid_request)
//   /<poolId>/.well-known/* with such a pool id        404 as for any pool that does not exist
//   anything else                                      400 {"message": …}
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidParameterException } from '../errors.js';
import { sendError } from '../wire/http.js';
import { operationForTarget } from '../wire/model.js';
import { inputError } from '../wire/validate.js';
import { badString } from '../wire/strings.js';
import { errorPage } from './oauth/pages.js';

const DESCRIPTION = 'The request carries a character that is not allowed (U+0000 or an unpaired UTF-16 surrogate).';

type Found = { where: 'path' | 'query' | 'form' | 'authorization'; name: string };

function firstBad(req: FastifyRequest): Found | undefined {
  for (const [name, v] of Object.entries((req.params ?? {}) as Record<string, unknown>)) {
    if (typeof v === 'string' && badString(v)) return { where: 'path', name };
  }
  for (const [name, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    const values = Array.isArray(v) ? v : [v];
    if (badString(name) || values.some((x) => typeof x === 'string' && badString(x))) return { where: 'query', name };
  }
  const type = String(req.headers['content-type'] ?? '');
  if (Buffer.isBuffer(req.body) && /^application\/x-www-form-urlencoded/i.test(type)) {
    for (const [name, v] of new URLSearchParams(req.body.toString('utf8'))) {
      if (badString(name) || badString(v)) return { where: 'form', name };
    }
  }
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const basic = /^Basic\s+(\S+)\s*$/i.exec(auth);
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (basic && badString(Buffer.from(basic[1]!, 'base64').toString('utf8'))) return { where: 'authorization', name: 'Basic' };
    if (bearer && badString(bearer[1]!)) return { where: 'authorization', name: 'Bearer' };
  }
  return undefined;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** preValidation hook for every route. */
export async function refuseUnstorableInput(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const bad = firstBad(req);
  if (!bad) return undefined;
  const route = req.routeOptions.url ?? '';
  reply.header('cache-control', 'no-store');
  if (route === '*' && req.method === 'POST') {
    const at = bad.where === 'path' ? 'path' : bad.where === 'query' ? `query.${lowerFirst(bad.name)}` : lowerFirst(bad.name);
    const message = `1 validation error detected: Value at '${at}' failed to satisfy constraint: Member must not contain U+0000 or an unpaired UTF-16 surrogate`;
    const operation = operationForTarget(String(req.headers['x-amz-target'] ?? ''));
    return sendError(reply, operation ? inputError(operation.model, message) : new InvalidParameterException(message));
  }
  if (/\/oauth2\/(token|userInfo|revoke)$/.test(route)) {
    return reply
      .status(400)
      .type('application/json;charset=UTF-8')
      .send(JSON.stringify({ error: 'invalid_request', error_description: DESCRIPTION }));
  }
  if (/\/(oauth2\/authorize|login|logout)$/.test(route)) {
    return reply.status(400).type('text/html; charset=utf-8').header('x-content-type-options', 'nosniff').send(errorPage('invalid_request', DESCRIPTION));
  }
  if (route.includes('/.well-known/') && bad.where === 'path') {
    return reply.status(404).send({ message: 'User pool does not exist.' });
  }
  return reply.status(400).send({ message: DESCRIPTION });
}
