// The Node.js runtime of a function's process (written to a file and run by triggers/runtime/pool.ts): what Lambda's
// Node.js runtime does for a handler, over Corral's channel instead of the Lambda Runtime API.
//
//   Channel: fd 3, a socket; JSON, one message a line, both ways (pool.ts documents the messages).
//   Init: `init { file, export, taskRoot }` → the module is loaded — `.mjs` as an ES module, `.cjs` as CommonJS, `.js`
//     by the nearest package.json's `type` — and the export found (a dotted export walks into objects, as Lambda's
//     `index.nested.handler`; an ES module importing a CommonJS one sees `default`) → `ready`, or `init-error`.
//   Invoke: `invoke { id, event, deadline, arn, marker }` → the handler is called `(event, context, callback)` as
//     Lambda calls it: a promise (async) settles the invocation; else `callback(err, result)` (after the event loop
//     empties while `context.callbackWaitsForEmptyEventLoop`), `context.succeed/fail/done`, or — no callback and
//     nothing left to run — null. A plain (not promise) return value of a handler without a callback parameter is
//     its answer (Corral ran handlers so before). The result is JSON (6 MB at most, Lambda's limit).
//     Then the marker is written to stdout and stderr — everything before it is this invocation's output — and
//     `result { id, payload }` or `error { id, errorType, errorMessage, fatal? }` is sent.
//   An uncaught exception or unhandled rejection fails the invocation running and ends the process (fatal), as on
//   Lambda. The end of the channel (Corral gone) ends the process. SIGINT is ignored: Corral stops its functions.
export const NODE_BOOTSTRAP = String.raw`'use strict';
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
process.on('SIGINT', () => {});
// The standard streams exist before any handler runs, so they are not taken for work the handler left pending; the
// original writers are kept so the end markers get through whatever a function does to process.stdout.
const writeOut = process.stdout.write.bind(process.stdout);
const writeErr = process.stderr.write.bind(process.stderr);

const chan = new net.Socket({ fd: 3, readable: true, writable: true });
chan.setEncoding('utf8');
const exitNow = () => process.exit(0);
chan.on('end', exitNow);
chan.on('close', exitNow);
chan.on('error', exitNow);
const send = (msg, then) => chan.write(JSON.stringify(msg) + '\n', then);

let handler;
let current;
let pending = '';
chan.on('data', (chunk) => {
  pending += chunk;
  for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    if (!line) continue;
    const msg = JSON.parse(line);
    if (msg.type === 'init') init(msg);
    else if (msg.type === 'invoke') invoke(msg);
  }
});

function errorOf(err, type) {
  if (err instanceof Error) {
    // The stack without this runtime's frames and Node.js's own (as Lambda's runtime reports it).
    const trace = String(err.stack || '')
      .split('\n')
      .filter((line) => !line.includes(__filename) && !/\(node:|at node:/.test(line));
    return { errorType: type || err.name || 'Error', errorMessage: String(err.message), trace };
  }
  if (typeof err === 'string') return { errorType: type || 'string', errorMessage: err };
  let text;
  try {
    text = JSON.stringify(err);
  } catch {
    text = undefined;
  }
  return { errorType: type || typeof err, errorMessage: text === undefined ? String(err) : text };
}

function moduleType(file) {
  if (file.endsWith('.mjs')) return 'esm';
  if (file.endsWith('.cjs')) return 'cjs';
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        return JSON.parse(fs.readFileSync(manifest, 'utf8')).type === 'module' ? 'esm' : 'cjs';
      } catch {
        return 'cjs';
      }
    }
    if (path.dirname(dir) === dir) return 'cjs';
  }
}

function exported(mod, name) {
  let fn = mod;
  for (const part of name.split('.')) fn = fn === null || fn === undefined ? undefined : fn[part];
  return fn;
}

async function init(msg) {
  try {
    process.chdir(msg.taskRoot);
  } catch {}
  if (!fs.existsSync(msg.file)) {
    send({ type: 'init-error', kind: 'unavailable', errorType: 'Runtime.ImportModuleError', errorMessage: 'the module ' + msg.file + ' does not exist' });
    return;
  }
  let mod;
  try {
    mod = moduleType(msg.file) === 'esm' ? await import(pathToFileURL(msg.file).href) : require(msg.file);
  } catch (err) {
    const e = errorOf(err, err instanceof SyntaxError ? 'Runtime.UserCodeSyntaxError' : undefined);
    writeErr('ERROR\tInit Error\t' + JSON.stringify(e) + '\n');
    send({ type: 'init-error', kind: 'error', errorType: e.errorType, errorMessage: e.errorMessage });
    return;
  }
  let fn = exported(mod, msg.export);
  if (typeof fn !== 'function' && mod && mod.default) fn = exported(mod.default, msg.export);
  if (typeof fn !== 'function') {
    const what = msg.export === 'handler' ? 'a handler function' : 'a function named ' + msg.export;
    send({ type: 'init-error', kind: 'unavailable', errorType: 'Runtime.HandlerNotFound', errorMessage: 'the module ' + msg.file + ' does not export ' + what });
    return;
  }
  handler = fn;
  send({ type: 'ready' });
}

// The resources keeping the event loop alive, counted by type: the loop is "empty" again once no type has more than
// before the handler was called (a write still in flight then does not hide a timer the handler set).
const activeResources = () => {
  const counts = new Map();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) || 0) + 1);
  return counts;
};
const noMoreThan = (now, before) => {
  for (const [type, n] of now) if (n > (before.get(type) || 0)) return false;
  return true;
};

function invoke(msg) {
  const env = process.env;
  const baseline = activeResources();
  let finished = false;
  let fatalExit = false;
  const respond = (reply) => {
    if (finished) return;
    finished = true;
    current = undefined;
    if (reply.type === 'error') {
      writeErr('ERROR\tInvoke Error\t' + JSON.stringify({ errorType: reply.errorType, errorMessage: reply.errorMessage, stack: reply.trace }) + '\n');
      delete reply.trace;
    }
    writeOut(msg.marker);
    writeErr(msg.marker);
    if (fatalExit) {
      reply.fatal = true;
      send(reply, () => process.exit(1));
    } else send(reply);
  };
  const fail = (err, type) => respond({ type: 'error', id: msg.id, ...errorOf(err, type) });
  const succeed = (result) => {
    let payload;
    try {
      payload = JSON.stringify(result === undefined ? null : result);
    } catch (err) {
      return fail(new Error('Unable to stringify response body: ' + (err && err.message)), 'Runtime.MarshalError');
    }
    if (payload === undefined) payload = 'null';
    if (Buffer.byteLength(payload) > MAX_RESPONSE_BYTES) {
      return fail(new Error('Response payload size exceeded maximum allowed payload size (' + MAX_RESPONSE_BYTES + ' bytes).'), 'Function.ResponseSizeTooLarge');
    }
    respond({ type: 'result', id: msg.id, payload });
  };
  // Once nothing the handler started is still pending (the resources keeping the event loop alive are back to what
  // they were before the call), as Lambda waits for an empty event loop.
  const whenIdle = (then) => {
    const check = () => {
      if (finished) return;
      if (noMoreThan(activeResources(), baseline)) then();
      else setTimeout(check, 2).unref();
    };
    setTimeout(check, 0).unref();
  };
  const settle = (err, result) => (err !== undefined && err !== null ? fail(err) : succeed(result));
  let calledBack = false;
  const callback = (err, result) => {
    if (calledBack) return;
    calledBack = true;
    if (context.callbackWaitsForEmptyEventLoop) whenIdle(() => settle(err, result));
    else settle(err, result);
  };
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: msg.arn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: msg.id,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: undefined,
    clientContext: undefined,
    getRemainingTimeInMillis: () => Math.max(0, msg.deadline - Date.now()),
    succeed: (result) => succeed(result),
    fail: (err) => fail(err === undefined || err === null ? 'handled' : err),
    done: (err, result) => settle(err, result),
  };
  current = {
    fatal(err, type) {
      fatalExit = true;
      fail(err, type);
    },
  };
  let ret;
  try {
    ret = handler(msg.event, context, callback);
  } catch (err) {
    return fail(err);
  }
  if (ret !== null && ret !== undefined && typeof ret.then === 'function') {
    ret.then(succeed, (err) => fail(err === undefined || err === null ? new Error(String(err)) : err));
  } else if (ret !== undefined && handler.length < 3) {
    succeed(ret);
  } else {
    whenIdle(() => calledBack || succeed(null));
  }
}

function fatal(err, type) {
  if (current) current.fatal(err, type);
  else {
    writeErr('ERROR\tUncaught Exception\t' + JSON.stringify(errorOf(err, type)) + '\n');
    process.exit(1);
  }
}
process.on('uncaughtException', (err) => fatal(err));
process.on('unhandledRejection', (reason) => fatal(reason instanceof Error ? reason : new Error(String(reason)), 'Runtime.UnhandledPromiseRejection'));
`;
