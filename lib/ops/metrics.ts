/**
 * Prometheus metrics of this process (prom-client). The request path only touches preallocated
 * numbers: one Map lookup per event name and a few additions, no label hashing, no allocation.
 * prom-client reads those numbers when `/metrics` is scraped (custom collectors below), and its
 * default collectors add the process metrics (CPU, memory, event loop lag, GC, handles).
 *
 * Label cardinality is bounded by construction: incoming event names are the handlers the server
 * registered (anything else a client sends is counted as "unknown"), outgoing names come from our
 * own code (capped at MAX_EVENT_SERIES), and error codes are the closed list of the contract.
 */
import { collectDefaultMetrics, Gauge, type Metric, Registry } from "prom-client";

import { REALTIME_ERROR_CODES, type RealtimeErrorCode } from "@/lib/realtime/protocol";
import { setDbQueryObserver, type DbOperation } from "./db-timing";
import { createSlidingWindowCounter, perMinute, type SlidingWindowCounter } from "./sliding-window";

export const ACK_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
export const DB_BUCKETS_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5] as const;
export const UNKNOWN_EVENT = "unknown";
const OTHER_EVENT = "other";
const MAX_EVENT_SERIES = 256;
const DB_OPERATIONS: readonly DbOperation[] = ["query", "execute", "script"];

/** 30 buckets of 10 s: "the last 5 minutes" for the admin dashboard. */
const WINDOW_BUCKET_MS = 10_000;
const WINDOW_BUCKETS = 30;

const CODE_INDEX = new Map<string, number>(REALTIME_ERROR_CODES.map((code, index) => [code, index]));

/** What the realtime server reports; implemented here, a no-op in tests that do not care. */
export interface RealtimeMetrics {
  /** The request and fire-and-forget events the server handles: the only names kept as labels. */
  setKnownIncomingEvents(names: Iterable<string>): void;
  eventReceived(event: string): void;
  eventSent(event: string): void;
  /** An ack was sent: seconds from receipt to ack; `code` null for ok. */
  ackAnswered(event: string, seconds: number, code: RealtimeErrorCode | null): void;
  /** Failed acks and answered requests over the last 5 minutes (or the uptime, if shorter). */
  recentRates(now?: number): RecentRates;
}

type Histogram = { counts: Float64Array; sum: number; count: number };
type EventSeries = { received: number; sent: number; ack: Histogram; errors: Float64Array };

const newHistogram = (buckets: readonly number[]): Histogram => ({ counts: new Float64Array(buckets.length), sum: 0, count: 0 });

function observe(histogram: Histogram, buckets: readonly number[], value: number): void {
  let index = 0;
  while (index < buckets.length && value > buckets[index]!) index += 1;
  if (index < buckets.length) histogram.counts[index]! += 1;
  histogram.sum += value;
  histogram.count += 1;
}

type MetricValue = { value: number; labels?: Record<string, string | number>; metricName?: string };

/** Prometheus series of one histogram (cumulative buckets, +Inf, sum, count). */
function histogramValues(name: string, buckets: readonly number[], histogram: Histogram, labels: Record<string, string>): MetricValue[] {
  const values: MetricValue[] = [];
  let cumulative = 0;
  buckets.forEach((bound, index) => {
    cumulative += histogram.counts[index]!;
    values.push({ metricName: `${name}_bucket`, labels: { ...labels, le: bound }, value: cumulative });
  });
  values.push({ metricName: `${name}_bucket`, labels: { ...labels, le: "+Inf" }, value: histogram.count });
  values.push({ metricName: `${name}_sum`, labels, value: histogram.sum });
  values.push({ metricName: `${name}_count`, labels, value: histogram.count });
  return values;
}

/** A metric prom-client's registry can serialize, whose values we produce at scrape time. */
function customMetric(name: string, help: string, type: "counter" | "histogram", values: () => MetricValue[]): Metric {
  const metric = {
    name,
    help,
    type,
    aggregator: "sum" as const,
    get: async () => ({ name, help, type, aggregator: "sum" as const, values: values() }),
    reset: () => undefined,
  };
  // The registry only calls get() (and reads name/type): a plain object serializes like prom-client's own.
  return metric as unknown as Metric;
}

export type LiveSources = {
  openSockets: () => number;
  connectedUsers: () => number;
  activeCalls: () => Promise<number>;
  ringingCalls: () => Promise<number>;
  matchQueueLength: () => Promise<number>;
};

export type RecentRates = {
  errors: number;
  errorsPerMinute: number;
  requestsPerMinute: number;
  errorsByCode: Partial<Record<RealtimeErrorCode, number>>;
  windowSeconds: number;
};

export type ProcessMetrics = RealtimeMetrics & {
  readonly registry: Registry;
  /** Gauges read these at scrape time. */
  setLiveSources(sources: LiveSources | null): void;
  observeDbQuery(operation: DbOperation, seconds: number, ok: boolean): void;
};

export function createProcessMetrics(options: { collectProcessMetrics?: boolean; now?: () => number } = {}): ProcessMetrics {
  const registry = new Registry();
  if (options.collectProcessMetrics !== false) collectDefaultMetrics({ register: registry, prefix: "parley_" });

  const events = new Map<string, EventSeries>();
  let known: ReadonlySet<string> = new Set();
  const newSeries = (): EventSeries => ({ received: 0, sent: 0, ack: newHistogram(ACK_BUCKETS_SECONDS), errors: new Float64Array(REALTIME_ERROR_CODES.length) });
  const seriesFor = (event: string): EventSeries => {
    let series = events.get(event);
    if (series) return series;
    const name = events.size < MAX_EVENT_SERIES ? event : OTHER_EVENT;
    series = events.get(name) ?? newSeries();
    events.set(name, series);
    return series;
  };
  const incomingSeries = (event: string): EventSeries => seriesFor(known.has(event) ? event : UNKNOWN_EVENT);

  const db = new Map<DbOperation, { ok: Histogram; failed: number }>(DB_OPERATIONS.map((operation) => [operation, { ok: newHistogram(DB_BUCKETS_SECONDS), failed: 0 }]));
  // category = error code index; one more category counts every answered request.
  const REQUESTS = REALTIME_ERROR_CODES.length;
  const recent: SlidingWindowCounter = createSlidingWindowCounter({ bucketMs: WINDOW_BUCKET_MS, buckets: WINDOW_BUCKETS, categories: REQUESTS + 1, startedAt: options.now?.() });
  const now = options.now ?? Date.now;
  let sources: LiveSources | null = null;

  const perEvent = (pick: (series: EventSeries) => number) => () =>
    [...events].filter(([, series]) => pick(series) > 0).map(([event, series]) => ({ labels: { event }, value: pick(series) }));

  registry.registerMetric(customMetric("parley_socket_events_received_total", "Socket.IO events received from clients, by event name.", "counter", perEvent((series) => series.received)));
  registry.registerMetric(customMetric("parley_socket_events_sent_total", "Socket.IO events sent to sockets (a broadcast counts once per receiving socket), by event name.", "counter", perEvent((series) => series.sent)));
  registry.registerMetric(
    customMetric("parley_ack_duration_seconds", "Time from receiving a request event to sending its ack, by event name.", "histogram", () =>
      [...events].filter(([, series]) => series.ack.count > 0).flatMap(([event, series]) => histogramValues("parley_ack_duration_seconds", ACK_BUCKETS_SECONDS, series.ack, { event })),
    ),
  );
  registry.registerMetric(
    customMetric("parley_ack_errors_total", "Acks answered with an error, by event name and typed error code.", "counter", () =>
      [...events].flatMap(([event, series]) =>
        REALTIME_ERROR_CODES.flatMap((code, index) => (series.errors[index]! > 0 ? [{ labels: { event, code }, value: series.errors[index]! }] : [])),
      ),
    ),
  );
  registry.registerMetric(
    customMetric("parley_db_query_duration_seconds", "Time of each database statement (driver adapter), by operation.", "histogram", () =>
      [...db].flatMap(([operation, entry]) => histogramValues("parley_db_query_duration_seconds", DB_BUCKETS_SECONDS, entry.ok, { operation })),
    ),
  );
  registry.registerMetric(
    customMetric("parley_db_query_errors_total", "Database statements that failed, by operation.", "counter", () =>
      [...db].map(([operation, entry]) => ({ labels: { operation }, value: entry.failed })),
    ),
  );

  const gauge = (name: string, help: string, read: (live: LiveSources) => number | Promise<number>) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        try {
          this.set(sources ? await read(sources) : 0);
        } catch {
          // A shared store (Redis) that is away: this gauge is unknown, the rest of the scrape still answers.
          this.set(Number.NaN);
        }
      },
    });
  gauge("parley_open_sockets", "Socket.IO sockets connected to this process.", (live) => live.openSockets());
  gauge("parley_connected_users", "Distinct users with at least one socket on this process.", (live) => live.connectedUsers());
  gauge("parley_active_calls", "Answered calls in the live call state (every process's with Redis).", (live) => live.activeCalls());
  gauge("parley_ringing_calls", "Ringing calls in the live call state (every process's with Redis).", (live) => live.ringingCalls());
  gauge("parley_match_queue_length", "People waiting in the match queue.", (live) => live.matchQueueLength());

  return {
    registry,
    setKnownIncomingEvents(names) {
      known = new Set(names);
    },
    eventReceived(event) {
      incomingSeries(event).received += 1;
    },
    eventSent(event) {
      seriesFor(event).sent += 1;
    },
    ackAnswered(event, seconds, code) {
      const series = incomingSeries(event);
      observe(series.ack, ACK_BUCKETS_SECONDS, seconds);
      const at = now();
      recent.add(REQUESTS, at);
      if (code === null) return;
      const index = CODE_INDEX.get(code);
      if (index === undefined) return;
      series.errors[index]! += 1;
      recent.add(index, at);
    },
    observeDbQuery(operation, seconds, ok) {
      const entry = db.get(operation);
      if (!entry) return;
      if (ok) observe(entry.ok, DB_BUCKETS_SECONDS, seconds);
      else entry.failed += 1;
    },
    setLiveSources(next) {
      sources = next;
    },
    recentRates(at = now()) {
      const totals = recent.totals(at);
      const requests = totals.byCategory[REQUESTS] ?? 0;
      const errors = totals.total - requests;
      const errorsByCode: Partial<Record<RealtimeErrorCode, number>> = {};
      REALTIME_ERROR_CODES.forEach((code, index) => {
        const count = totals.byCategory[index] ?? 0;
        if (count > 0) errorsByCode[code] = count;
      });
      return {
        errors,
        errorsPerMinute: perMinute(errors, totals.coveredMs, WINDOW_BUCKET_MS),
        requestsPerMinute: perMinute(requests, totals.coveredMs, WINDOW_BUCKET_MS),
        errorsByCode,
        windowSeconds: recent.windowMs / 1000,
      };
    },
  };
}

/** The process's metrics, created once (server.ts); the database observer reports into it. */
export function installProcessMetrics(): ProcessMetrics {
  const slot = globalThis as unknown as { __parleyMetrics?: ProcessMetrics };
  if (!slot.__parleyMetrics) {
    const metrics = createProcessMetrics();
    setDbQueryObserver((operation, seconds, ok) => metrics.observeDbQuery(operation, seconds, ok));
    slot.__parleyMetrics = metrics;
  }
  return slot.__parleyMetrics;
}

export const noopRealtimeMetrics: RealtimeMetrics = {
  setKnownIncomingEvents: () => undefined,
  eventReceived: () => undefined,
  eventSent: () => undefined,
  ackAnswered: () => undefined,
  recentRates: () => ({ errors: 0, errorsPerMinute: 0, requestsPerMinute: 0, errorsByCode: {}, windowSeconds: (WINDOW_BUCKET_MS * WINDOW_BUCKETS) / 1000 }),
};
