/**
 * The one wrapper for client→server request events. It re-parses the payload (types are not
 * trusted), checks the socket is still authenticated, applies the per-user rate limit, bounds the
 * handler's time, answers exactly once with an Ack, and never lets an exception escape.
 */
import type { z } from "zod";

import { AppError, toRealtimeError } from "@/lib/errors";
import type { Ack, ClientEventName, RealtimeError } from "@/lib/realtime/protocol";
import type { HandlerContext } from "./types";

type AnyAck<T> = (result: Ack<T>) => void;

/** Trickle ICE sends a burst of candidates at call setup and on every ICE restart: 5× the budget. */
const REQUEST_WEIGHTS: Partial<Record<ClientEventName, number>> = { "call:signal": 0.2 };

function invalidPayload(error: z.ZodError): RealtimeError {
  const issues = error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  return { code: "INVALID_PAYLOAD", message: "The request was not valid.", issues };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError("TIMEOUT")), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Every client→server event and what handles it, the same for every socket, filled as the handler
 * modules load. A socket has one listener for all of them (`onAny`, `routeEvents`) and its context
 * is found by the socket: a listener (and its closure and context) per socket and event made ~70
 * entries in every socket's event table, the largest part of what an idle socket kept in memory
 * (docs/PERFORMANCE.md, the heap diff).
 */
type Route = (ctx: HandlerContext, args: unknown[]) => void;
const routes = new Map<string, Route>();
const contexts = new WeakMap<object, HandlerContext>();

/** The events a client may send: those with a handler (metrics count any other name as unknown). */
export function routedEvents(): string[] {
  return [...routes.keys()];
}

function dispatch(this: unknown, event: unknown, ...args: unknown[]): void {
  const ctx = typeof this === "object" && this !== null ? contexts.get(this) : undefined;
  if (!ctx || typeof event !== "string") return;
  ctx.deps.metrics.eventReceived(event);
  routes.get(event)?.(ctx, args);
}

/** The context `routeEvents` recorded for a socket. */
export function contextOf(socket: object): HandlerContext | undefined {
  return contexts.get(socket);
}

/** Delivers the socket's events to their handlers, with `ctx` as their context. Once per socket. */
export function routeEvents(ctx: HandlerContext): void {
  contexts.set(ctx.socket, ctx);
  ctx.socket.onAny(dispatch);
}

/**
 * A fire-and-forget event (no ack): `run` validates its payload itself and drops what is malformed.
 * An exception is logged, never thrown into Socket.IO.
 */
export function defineVolatileHandler(event: ClientEventName, run: (payload: unknown, ctx: HandlerContext) => void): void {
  routes.set(event, (ctx, args) => {
    try {
      run(args[0], ctx);
    } catch (error) {
      ctx.log.error({ err: error, event }, "volatile event failed");
    }
  });
}

export function defineAckHandler<TSchema extends z.ZodType, TResult>(
  event: ClientEventName,
  schema: TSchema,
  run: (input: z.infer<TSchema>, ctx: HandlerContext) => Promise<TResult>,
): void {
  routes.set(event, handle);

  function handle(ctx: HandlerContext, args: unknown[]): void {
    // `ctx.log` is read only when there is something to log: it makes the socket's child logger.
    const { socket, deps, userId } = ctx;
    const receivedAt = performance.now();
    // Connection-state recovery may append an offset argument: the ack is the last function.
    const ack = args.findLast((arg): arg is AnyAck<TResult> => typeof arg === "function");
    if (!ack) {
      ctx.log.warn({ event }, "request event without ack callback dropped");
      return;
    }
    let answered = false;
    deps.drain.requestStarted();
    const answer = (result: Ack<TResult>) => {
      if (answered) return;
      answered = true;
      try {
        ack(result);
      } finally {
        deps.metrics.ackAnswered(event, (performance.now() - receivedAt) / 1000, result.ok ? null : result.error.code);
        deps.drain.requestFinished();
      }
    };

    void (async () => {
      try {
        if (!socket.data.userId || socket.data.userId !== userId) throw new AppError("UNAUTHORIZED");
        const budget = await deps.rateLimiter.consume(`${userId}:${event}`, REQUEST_WEIGHTS[event] ?? 1);
        if (!budget.ok) throw new AppError("RATE_LIMITED", { retryAfterMs: budget.retryAfterMs });
        const parsed = schema.safeParse(args[0]);
        if (!parsed.success) {
          answer({ ok: false, error: invalidPayload(parsed.error) });
          return;
        }
        const data = await withTimeout(run(parsed.data, ctx), deps.requestTimeoutMs);
        answer({ ok: true, data });
      } catch (error) {
        const realtimeError = toRealtimeError(error);
        const level = realtimeError.code === "INTERNAL" ? "error" : realtimeError.code === "UNAVAILABLE" ? "warn" : "debug";
        if (deps.logger.isLevelEnabled(level)) ctx.log[level]({ err: error, event, code: realtimeError.code }, "request failed");
        answer({ ok: false, error: realtimeError });
      }
    })();
  }
}
