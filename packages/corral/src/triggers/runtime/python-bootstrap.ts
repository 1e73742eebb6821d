// The Python runtime of a function's process (written to a file and run with the machine's `python3` by
// triggers/runtime/pool.ts): what Lambda's Python runtime does for `def lambda_handler(event, context)`, with the
// standard library only.
//
//   Channel: fd 3, a socket; JSON, one message a line, both ways (pool.ts documents the messages).
//   Init: `init { file, export, taskRoot, addressSpaceBytes }` → the address space is limited (RLIMIT_AS), the file
//     loaded as a module named after it (its directory and the task root first on sys.path), the function found →
//     `ready`, or `init-error`.
//   Invoke: `invoke { id, event, deadline, arn, marker }` → handler(event, context) with Lambda's context object
//     (aws_request_id, function_name, function_version, invoked_function_arn, memory_limit_in_mb,
//     get_remaining_time_in_millis(), log_group_name, log_stream_name, identity, client_context); the return value
//     is the answer (JSON, 6 MB at most); an exception is `error { errorType: its class name, errorMessage: str(e) }`
//     with its traceback printed as Lambda prints it. A MemoryError ends the process (out of memory). Then the marker
//     is written to stdout and stderr and the reply sent.
//   The logging module's root logger prints to stdout as on Lambda. SIGINT is ignored; the end of the channel (Corral
//   gone) ends the process.
export const PYTHON_BOOTSTRAP = String.raw`# Corral's Python function runtime (generated; see triggers/runtime/python-bootstrap.ts).
import importlib.util
import json
import logging
import os
import signal
import socket
import sys
import time
import traceback

MAX_RESPONSE_BYTES = 6 * 1024 * 1024


class LambdaContext(object):
    def __init__(self, msg):
        env = os.environ
        self.aws_request_id = msg['id']
        self.function_name = env.get('AWS_LAMBDA_FUNCTION_NAME')
        self.function_version = env.get('AWS_LAMBDA_FUNCTION_VERSION')
        self.invoked_function_arn = msg['arn']
        self.memory_limit_in_mb = env.get('AWS_LAMBDA_FUNCTION_MEMORY_SIZE')
        self.log_group_name = env.get('AWS_LAMBDA_LOG_GROUP_NAME')
        self.log_stream_name = env.get('AWS_LAMBDA_LOG_STREAM_NAME')
        self.identity = None
        self.client_context = None
        self._deadline = msg['deadline']

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline - time.time() * 1000))


class RequestIdFilter(logging.Filter):
    request_id = None

    def filter(self, record):
        record.aws_request_id = RequestIdFilter.request_id
        return True


def setup_logging():
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter('[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s', '%Y-%m-%dT%H:%M:%S'))
    handler.formatter.converter = time.gmtime
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)


def print_error(etype, message, tb):
    try:
        sys.stderr.write('[ERROR] ' + etype + ': ' + message + '\n' + ''.join(tb))
        sys.stderr.flush()
    except Exception:
        pass


def main():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    chan = socket.socket(fileno=3)
    reader = chan.makefile('rb')

    def send(msg):
        chan.sendall((json.dumps(msg) + '\n').encode('utf-8'))

    setup_logging()
    handler = None
    for line in reader:
        if not line.strip():
            continue
        msg = json.loads(line.decode('utf-8'))
        if msg['type'] == 'init':
            handler = init(msg, send)
        elif msg['type'] == 'invoke':
            invoke(handler, msg, send)
    os._exit(0)


def init(msg, send):
    try:
        os.chdir(msg['taskRoot'])
    except OSError:
        pass
    limit = msg.get('addressSpaceBytes')
    if limit:
        try:
            import resource
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):
            pass
    path = msg['file']
    if not os.path.isfile(path):
        send({'type': 'init-error', 'kind': 'unavailable', 'errorType': 'Runtime.ImportModuleError', 'errorMessage': 'the module ' + path + ' does not exist'})
        return None
    name = os.path.splitext(os.path.basename(path))[0]
    for d in (msg['taskRoot'], os.path.dirname(path)):
        if d not in sys.path:
            sys.path.insert(0, d)
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    except MemoryError:
        send({'type': 'init-error', 'kind': 'error', 'oom': True, 'errorType': 'Runtime.OutOfMemory', 'errorMessage': 'out of memory'})
        os._exit(1)
    except Exception as e:
        if isinstance(e, SyntaxError):
            etype, message = 'Runtime.UserCodeSyntaxError', "Syntax error in module '" + name + "': " + str(e)
        elif isinstance(e, ImportError):
            etype, message = 'Runtime.ImportModuleError', "Unable to import module '" + name + "': " + str(e)
        else:
            etype, message = type(e).__name__, str(e)
        print_error(etype, message, traceback.format_tb(e.__traceback__))
        send({'type': 'init-error', 'kind': 'error', 'errorType': etype, 'errorMessage': message})
        return None
    fn = module
    for part in msg['export'].split('.'):
        fn = getattr(fn, part, None)
    if not callable(fn):
        send({'type': 'init-error', 'kind': 'unavailable', 'errorType': 'Runtime.HandlerNotFound',
              'errorMessage': 'the module ' + path + ' does not export a function named ' + msg['export']})
        return None
    send({'type': 'ready'})
    return fn


def invoke(handler, msg, send):
    context = LambdaContext(msg)
    RequestIdFilter.request_id = msg['id']
    fatal = False
    try:
        result = handler(msg['event'], context)
        try:
            payload = json.dumps(result)
        except (TypeError, ValueError, OverflowError) as e:
            reply = {'type': 'error', 'id': msg['id'], 'errorType': 'Runtime.MarshalError', 'errorMessage': 'Unable to marshal response: ' + str(e)}
        else:
            if len(payload.encode('utf-8')) > MAX_RESPONSE_BYTES:
                reply = {'type': 'error', 'id': msg['id'], 'errorType': 'Function.ResponseSizeTooLarge',
                         'errorMessage': 'Response payload size exceeded maximum allowed payload size (' + str(MAX_RESPONSE_BYTES) + ' bytes).'}
            else:
                reply = {'type': 'result', 'id': msg['id'], 'payload': payload}
    except MemoryError:
        fatal = True
        reply = {'type': 'error', 'id': msg['id'], 'oom': True, 'fatal': True, 'errorType': 'Runtime.OutOfMemory', 'errorMessage': 'out of memory'}
    except Exception as e:
        etype, message = type(e).__name__, str(e)
        print_error(etype, message, ['Traceback (most recent call last):\n'] + traceback.format_tb(e.__traceback__))
        reply = {'type': 'error', 'id': msg['id'], 'errorType': etype, 'errorMessage': message}
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    marker = msg['marker'].encode('utf-8')
    for fd in (1, 2):
        try:
            os.write(fd, marker)
        except OSError:
            pass  # the function closed it: Corral stops waiting for this marker after a moment
    send(reply)
    if fatal:
        os._exit(1)


main()
`;
