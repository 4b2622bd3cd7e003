/**
 * aws-local-stepfunctions 3.x declares Node >= 22 because its Task state races the task
 * against a timeout made with `Promise.withResolvers` (Node 22+); nothing else it uses is
 * missing from Node 20. It only calls it while running a Task, never at load time, so
 * installing the standard polyfill when the local state machine loads is early enough.
 */
type WithResolvers = <T>() => { promise: Promise<T>; resolve: (value: T | PromiseLike<T>) => void; reject: (reason?: unknown) => void };
if (typeof (Promise as unknown as { withResolvers?: WithResolvers }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export {};
