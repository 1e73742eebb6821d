// PUT /_corral/import/<jobId>?X-Amz-Algorithm=…&X-Amz-Date=…&X-Amz-Expires=900&X-Amz-Signature=… — the
// PreSignedUrl of a user import job (CreateUserImportJob), served as S3 serves a presigned PUT: the query's signature
// (an HMAC with the server key over the job id and the URL's date, domain/user-import.ts) is the only credential and
// expires 15 minutes after the job was made; the body is the CSV file, stored in the database as it streams in
// (any Content-Type; `x-amz-server-side-encryption: aws:kms`, which Cognito's documented curl command sends, is
// accepted), at most CORRAL_IMPORT_MAX_BYTES (100 MB). 200 with the file's MD5 as ETag; refusals are S3's XML errors
// (403 SignatureDoesNotMatch / AccessDenied "Request has expired", 400 EntityTooLarge, 404 NoSuchKey).
// This module also runs this instance's import runner (domain/user-import-runner.ts) while the server runs, and tells
// it when no request is in flight (it imports in the gaps).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import type { Corral } from '../runtime/app.js';
import { checkUploadUrl, maxUploadBytes, receiveUpload, UPLOAD_PATH, type UploadRefusal } from '../domain/user-import.js';
import { startImportRunner, type Traffic } from '../domain/user-import-runner.js';
import type { RouteModule } from './index.js';

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function s3Error(reply: FastifyReply, r: UploadRefusal, requestId: string): FastifyReply {
  return reply
    .status(r.status)
    .header('content-type', 'application/xml')
    .send(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${r.code}</Code><Message>${xmlEscape(r.message)}</Message><RequestId>${requestId}</RequestId></Error>`,
    );
}

/**
 * The requests in flight on this server (every route: the hooks are the root's), for the import runner to let them
 * go first between two batches.
 */
function trafficOf(server: FastifyInstance): Traffic {
  let inFlight = 0;
  const counted = new WeakSet<FastifyRequest>();
  let waiters: (() => void)[] = [];
  const ended = (req: FastifyRequest) => {
    if (!counted.delete(req)) return;
    if (--inFlight === 0 && waiters.length) {
      const w = waiters;
      waiters = [];
      for (const wake of w) wake();
    }
  };
  server.addHook('onRequest', (req, _reply, done) => {
    counted.add(req);
    inFlight++;
    done();
  });
  server.addHook('onResponse', (req, _reply, done) => {
    ended(req);
    done();
  });
  server.addHook('onRequestAbort', (req, done) => {
    ended(req);
    done();
  });
  return {
    idle(maxMs) {
      return new Promise((resolve) => {
        if (inFlight === 0) return void setImmediate(resolve);
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== wake);
          resolve();
        }, maxMs);
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        waiters.push(wake);
      });
    },
  };
}

export const importUploadRoutes: RouteModule = async (server, app: Corral) => {
  const traffic = trafficOf(server);
  let stopRunner: (() => Promise<void>) | undefined;
  server.addHook('onReady', async () => {
    stopRunner = startImportRunner(app, traffic);
  });
  server.addHook('onClose', async () => {
    await stopRunner?.();
  });

  await server.register(async (scope) => {
    // The body is read as a stream by the handler (the wire's parser buffers at most CORRAL_BODY_LIMIT).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    scope.put<{ Params: { jobId: string }; Querystring: Record<string, unknown> }>(`${UPLOAD_PATH}/:jobId`, async (req, reply) => {
      const { jobId } = req.params;
      // The signature is the upload's credential: the request log (server.ts logs req.url) shows it redacted.
      req.raw.url = (req.raw.url ?? '').replace(/([?&]X-Amz-Signature=)[^&]*/i, '$1REDACTED');
      const refused = checkUploadUrl(app, jobId, req.query ?? {}, app.now());
      if (refused) return s3Error(reply, refused, req.id);
      const sse = req.headers['x-amz-server-side-encryption'];
      if (sse !== undefined && sse !== 'aws:kms' && sse !== 'AES256') {
        return s3Error(reply, { status: 400, code: 'InvalidArgument', message: 'The encryption method specified is not supported' }, req.id);
      }
      const job = await app.store.userImports.find(jobId);
      if (!job) return s3Error(reply, { status: 404, code: 'NoSuchKey', message: 'The import job does not exist.' }, req.id);
      if (job.status !== 'Created') {
        return s3Error(reply, { status: 403, code: 'AccessDenied', message: 'The import job has started: its file can no longer be replaced.' }, req.id);
      }
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > maxUploadBytes(app)) {
        reply.header('connection', 'close');
        return s3Error(
          reply,
          { status: 400, code: 'EntityTooLarge', message: `Your proposed upload exceeds the maximum allowed size (${maxUploadBytes(app)} bytes).` },
          req.id,
        );
      }
      const body = req.body instanceof Readable ? (req.body as AsyncIterable<Buffer>) : Readable.from([]);
      let result;
      try {
        result = await receiveUpload(app, jobId, body);
      } catch (err) {
        // The client went away (or stalled past the request timeout) before the whole file came: nothing is kept.
        if (req.raw.aborted || req.raw.destroyed || (req.raw.readableAborted ?? false)) {
          req.log.info({ job: jobId, err: { message: (err as Error).message } }, 'user import upload cut off');
          reply.header('connection', 'close');
          return s3Error(
            reply,
            { status: 400, code: 'IncompleteBody', message: 'You did not provide the number of bytes specified by the Content-Length HTTP header' },
            req.id,
          );
        }
        throw err;
      }
      if (!result.ok) {
        reply.header('connection', 'close');
        return s3Error(reply, result.refusal, req.id);
      }
      req.log.info({ job: jobId }, 'user import file uploaded');
      return reply.status(200).header('etag', result.etag).send('');
    });
  });
};
