/**
 * A small client of the V8 inspector protocol, for tests that look inside a server process started
 * with `--inspect=127.0.0.1:0` (startServer's `nodeArgs`): force a full GC, read the heap, evaluate
 * expressions in the process's global scope and count the live objects of a prototype. Test-only.
 */
import WebSocket from "ws";

const INSPECTOR_LINE = /Debugger listening on (ws:\/\/\S+)/;
const CALL_TIMEOUT_MS = 120_000;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; method: string };
type EvaluateResult = { result: { type: string; value?: unknown; objectId?: string; description?: string }; exceptionDetails?: { text: string; exception?: { description?: string } } };

export type Inspector = {
  /** One protocol call; rejects with the protocol's error. */
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Evaluates in the process's global scope (awaiting a returned promise) and returns the value as JSON. */
  evaluate<T>(expression: string): Promise<T>;
  /** A full, precise garbage collection (twice: finalizers and weak callbacks of the first free more). */
  collectGarbage(): Promise<void>;
  /** Bytes of JavaScript heap in use (`Runtime.getHeapUsage().usedSize`). */
  heapUsed(): Promise<number>;
  /**
   * Live objects with `prototypeExpression` (evaluated in the global scope) in their prototype chain,
   * reduced by `reducer`, a function source called with the array as its only argument (default:
   * its length). `Runtime.queryObjects` collects garbage first.
   */
  queryObjects<T = number>(prototypeExpression: string, reducer?: string): Promise<T>;
  close(): Promise<void>;
};

/** The inspector URL a process started with `--inspect` printed, or null while it has not. */
export function inspectorUrlIn(output: string): string | null {
  return INSPECTOR_LINE.exec(output)?.[1] ?? null;
}

export async function connectInspector(url: string): Promise<Inspector> {
  const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  let nextId = 1;
  const pending = new Map<number, Pending>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return; // protocol events: none are enabled
    const call = pending.get(message.id);
    if (!call) return;
    pending.delete(message.id);
    if (message.error) call.reject(new Error(`${call.method}: ${message.error.message}`));
    else call.resolve(message.result);
  });
  socket.on("close", () => {
    for (const call of pending.values()) call.reject(new Error(`${call.method}: the inspector connection closed`));
    pending.clear();
  });

  const send = <T>(method: string, params: Record<string, unknown> = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (socket.readyState !== WebSocket.OPEN) return reject(new Error(`${method}: the inspector connection is closed`));
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${method}: no answer within ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      pending.set(id, {
        method,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      socket.send(JSON.stringify({ id, method, params }));
    });

  const failed = (what: string, details: NonNullable<EvaluateResult["exceptionDetails"]>) =>
    new Error(`${what} threw: ${details.exception?.description ?? details.text}`);

  const inspector: Inspector = {
    send,
    async evaluate<T>(expression: string) {
      const { result, exceptionDetails } = await send<EvaluateResult>("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
      if (exceptionDetails) throw failed(expression.slice(0, 120), exceptionDetails);
      return result.value as T;
    },
    async collectGarbage() {
      await send("HeapProfiler.collectGarbage");
      await send("HeapProfiler.collectGarbage");
    },
    async heapUsed() {
      return (await send<{ usedSize: number }>("Runtime.getHeapUsage")).usedSize;
    },
    async queryObjects<T>(prototypeExpression: string, reducer = "(objects) => objects.length") {
      const objectGroup = `query-${nextId}`;
      try {
        const prototype = await send<EvaluateResult>("Runtime.evaluate", { expression: prototypeExpression, objectGroup });
        if (prototype.exceptionDetails) throw failed(prototypeExpression, prototype.exceptionDetails);
        if (!prototype.result.objectId) throw new Error(`${prototypeExpression} is not an object`);
        const { objects } = await send<{ objects: { objectId: string } }>("Runtime.queryObjects", { prototypeObjectId: prototype.result.objectId, objectGroup });
        const reduced = await send<EvaluateResult>("Runtime.callFunctionOn", {
          objectId: objects.objectId,
          functionDeclaration: `function () { return (${reducer})(this); }`,
          returnByValue: true,
          objectGroup,
        });
        if (reduced.exceptionDetails) throw failed(reducer, reduced.exceptionDetails);
        return reduced.result.value as T;
      } finally {
        // The array would keep every object it lists alive.
        await send("Runtime.releaseObjectGroup", { objectGroup }).catch(() => undefined);
      }
    },
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      const closed = new Promise((resolve) => socket.once("close", resolve));
      socket.close();
      await closed;
    },
  };
  return inspector;
}
