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
 * The context of every socket that registered a request handler. The listener of a request event is
 * one function shared by all sockets (Socket.IO calls it with the socket as `this`), not a closure
 * per socket and event: about seventy events made those closures and their contexts the largest
 * part of what an idle socket kept in memory (docs/PERFORMANCE.md, the heap diff).
 */
const contexts = new WeakMap<object, HandlerContext>();

export function defineAckHandler<TSchema extends z.ZodType, TResult>(
  event: ClientEventName,
  schema: TSchema,
  run: (input: z.infer<TSchema>, ctx: HandlerContext) => Promise<TResult>,
) {
  const listener = function (this: unknown, ...args: unknown[]): void {
    const ctx = typeof this === "object" && this !== null ? contexts.get(this) : undefined;
    // Only reachable through a registration that bypassed `socket.on` (a programming error).
    if (!ctx) throw new Error(`${event}: the listener must be called by the socket it was registered on`);
    handle(ctx, args);
  };
  /** `socket.on(event, handler(ctx))`: records the socket's context and returns the shared listener. */
  return (ctx: HandlerContext): ((...args: unknown[]) => void) => {
    contexts.set(ctx.socket, ctx);
    return listener;
  };

  function handle(ctx: HandlerContext, args: unknown[]): void {
    const { socket, deps, userId, log } = ctx;
    const receivedAt = performance.now();
    // Connection-state recovery may append an offset argument: the ack is the last function.
    const ack = args.findLast((arg): arg is AnyAck<TResult> => typeof arg === "function");
    if (!ack) {
      log.warn({ event }, "request event without ack callback dropped");
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
        log[level]({ err: error, event, code: realtimeError.code }, "request failed");
        answer({ ok: false, error: realtimeError });
      }
    })();
  }
}
