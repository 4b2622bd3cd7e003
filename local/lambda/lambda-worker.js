'use strict';
/**
 * One Lambda execution environment, run in a worker thread by local-function.ts.
 *
 * Plain CommonJS on purpose: a worker thread is started by Node itself, outside any
 * TypeScript loader (jest's ts-jest transforms only what jest itself requires).
 *
 * The protocol with the parent (local-function.ts), all through parentPort:
 *   worker -> parent  { type: 'output', stream: 'stdout' | 'stderr', text }   (any time)
 *   worker -> parent  { type: 'ready' } | { type: 'init-error', error }
 *   parent -> worker  { type: 'invoke', requestId, event, deadline }   (event: JSON text)
 *   worker -> parent  { type: 'done', requestId, memoryUsedBytes, ok: true, result }   (result: JSON text)
 *                   | { type: 'done', requestId, memoryUsedBytes, ok: false, error }
 *                   | { type: 'fatal', requestId, error }              (then the worker exits)
 */
const { Buffer } = require('node:buffer');
const { TextDecoder } = require('node:util');
const { getHeapStatistics } = require('node:v8');
const { parentPort, workerData } = require('node:worker_threads');

const {
  codePath,
  handlerSetting,
  exportName,
  functionName,
  memoryMb,
  invokedFunctionArn,
  logGroupName,
  logStreamName,
} = workerData;

/**
 * Sends everything the function writes to stdout and stderr to the parent as messages.
 *
 * Not the Worker's own `stdout: true` streams, for two reasons: Node keeps the process
 * alive for as long as the parent reads them (until the worker exits), so an idle
 * function would never let its process end; and they reach the parent on another
 * channel than messages, so the last lines of an invocation would arrive after its
 * result. On the one message port, output always precedes the result it belongs to.
 * Installed before the bundle loads, so console, loggers and direct writes all use it.
 */
function captureOutput(stream, name) {
  const decoder = new TextDecoder();
  stream.write = function write(chunk, encoding, callback) {
    const done = typeof encoding === 'function' ? encoding : callback;
    let text;
    if (typeof chunk === 'string') {
      text = typeof encoding === 'string' && !/^utf-?8$/i.test(encoding) ? Buffer.from(chunk, encoding).toString('utf8') : chunk;
    } else if (ArrayBuffer.isView(chunk)) {
      // A multi-byte character may be split across writes: the decoder keeps the rest.
      text = decoder.decode(chunk, { stream: true });
    } else {
      text = String(chunk);
    }
    if (text !== '') parentPort.postMessage({ type: 'output', stream: name, text });
    if (typeof done === 'function') process.nextTick(done);
    return true;
  };
}
captureOutput(process.stdout, 'stdout');
captureOutput(process.stderr, 'stderr');

/**
 * The most memory this environment has held, at the end of any invocation so far: the
 * worker's V8 heap and the memory outside it that its objects own (Buffers). Lambda's
 * "Max Memory Used" is the sandbox's resident memory, which includes the runtime itself;
 * this is the part a function's own code moves, and grows over an environment's life as
 * Lambda's figure does.
 */
let peakMemoryBytes = 0;
function memoryHighWater() {
  const { total_heap_size: heap, external_memory: external } = getHeapStatistics();
  peakMemoryBytes = Math.max(peakMemoryBytes, heap + external);
  return peakMemoryBytes;
}

/** The request id of the invocation running now, so a crash can be blamed on it. */
let currentRequestId;

/** Lambda's error shape for anything thrown, including values that are not Errors. */
function describeError(value) {
  if (value !== null && typeof value === 'object' && typeof value.message === 'string') {
    return {
      errorType: (typeof value.name === 'string' && value.name) || 'Error',
      errorMessage: value.message,
      stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : [],
    };
  }
  // What Lambda's Node.js runtime reports for `throw 'text'` and the like.
  return { errorType: typeof value, errorMessage: String(value), stackTrace: [] };
}

// Lambda's Node.js runtime fails the running invocation with an uncaught error and then
// exits, so the next invocation gets a fresh environment; the same happens here.
function die(error, exitCode) {
  parentPort.postMessage({ type: 'fatal', requestId: currentRequestId, error });
  process.exit(exitCode);
}
process.on('uncaughtException', (error) => die(describeError(error), 129));
process.on('unhandledRejection', (reason) => {
  const described = describeError(reason);
  die(
    {
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: reason instanceof Error ? `${described.errorType}: ${described.errorMessage}` : described.errorMessage,
      stackTrace: described.stackTrace,
    },
    128,
  );
});

/** Requires the bundle once: module scope runs here, at the cold start, as in Lambda. */
function loadHandler() {
  let exported;
  try {
    exported = require(codePath);
  } catch (error) {
    const described = describeError(error);
    return {
      error: {
        // Lambda reports code it cannot parse apart from code that throws while loading.
        errorType: error instanceof SyntaxError ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError',
        errorMessage: `${described.errorType}: ${described.errorMessage}`,
        stackTrace: described.stackTrace,
      },
    };
  }
  const handler = exported === null || exported === undefined ? undefined : exported[exportName];
  if (handler === undefined) {
    return { error: { errorType: 'Runtime.HandlerNotFound', errorMessage: `${handlerSetting} is undefined or not exported` } };
  }
  if (typeof handler !== 'function') {
    return { error: { errorType: 'Runtime.HandlerNotFound', errorMessage: `${handlerSetting} is not a function` } };
  }
  return { handler };
}

function invoke(handler, { requestId, event, deadline }) {
  currentRequestId = requestId;
  let finished = false;
  const finish = (reply) => {
    // The first outcome wins, as in Lambda: a callback called twice, or a callback handler
    // that also returns a promise, cannot report twice.
    if (finished) return;
    finished = true;
    currentRequestId = undefined;
    parentPort.postMessage({ type: 'done', requestId, memoryUsedBytes: memoryHighWater(), ...reply });
  };
  const succeed = (result) => {
    let text;
    try {
      // Lambda returns undefined as null.
      text = JSON.stringify(result === undefined ? null : result);
    } catch (error) {
      finish({ ok: false, error: { errorType: 'Error', errorMessage: `Unable to stringify response body: ${describeError(error).errorMessage}` } });
      return;
    }
    // JSON.stringify gives undefined for a function or a symbol; Lambda sends null then too.
    finish({ ok: true, result: text === undefined ? 'null' : text });
  };
  const fail = (error) => finish({ ok: false, error: describeError(error) });
  const callback = (error, result) => (error !== undefined && error !== null ? fail(error) : succeed(result));

  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: requestId,
    logGroupName,
    logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    // The legacy completion methods Lambda still provides on the context.
    done: callback,
    succeed,
    fail,
  };

  try {
    const parsedEvent = JSON.parse(event);
    const isCallbackStyle = handler.length >= 3;
    const returned = isCallbackStyle ? handler(parsedEvent, context, callback) : handler(parsedEvent, context);
    if (returned !== null && typeof returned === 'object' && typeof returned.then === 'function') {
      returned.then(succeed, fail);
    } else if (!isCallbackStyle) {
      succeed(returned);
    }
  } catch (error) {
    fail(error);
  }
}

const loaded = loadHandler();
if (loaded.error) {
  // The parent discards this environment; the next invocation starts a fresh one.
  parentPort.postMessage({ type: 'init-error', error: loaded.error });
} else {
  parentPort.on('message', (message) => {
    if (message.type === 'invoke') invoke(loaded.handler, message);
  });
  parentPort.postMessage({ type: 'ready' });
}
