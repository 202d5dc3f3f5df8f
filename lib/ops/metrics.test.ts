import { describe, expect, it } from "vitest";

import { createProcessMetrics } from "./metrics";

function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("createProcessMetrics", () => {
  it("counts events in and out, ack latency and error codes, in Prometheus text", async () => {
    const metrics = createProcessMetrics({ collectProcessMetrics: false });
    metrics.setKnownIncomingEvents(["chat:send", "system:ping"]);
    metrics.eventReceived("chat:send");
    metrics.eventReceived("chat:send");
    metrics.eventSent("chat:message-created");
    metrics.ackAnswered("chat:send", 0.004, null);
    metrics.ackAnswered("chat:send", 0.2, "FORBIDDEN");
    const text = await metrics.registry.metrics();
    expect(sample(text, "parley_socket_events_received_total", 'event="chat:send"')).toBe(2);
    expect(sample(text, "parley_socket_events_sent_total", 'event="chat:message-created"')).toBe(1);
    expect(sample(text, "parley_ack_duration_seconds_bucket", 'event="chat:send",le="0.005"')).toBe(1);
    expect(sample(text, "parley_ack_duration_seconds_bucket", 'event="chat:send",le="0.25"')).toBe(2);
    expect(sample(text, "parley_ack_duration_seconds_bucket", 'event="chat:send",le="+Inf"')).toBe(2);
    expect(sample(text, "parley_ack_duration_seconds_count", 'event="chat:send"')).toBe(2);
    expect(sample(text, "parley_ack_duration_seconds_sum", 'event="chat:send"')).toBeCloseTo(0.204);
    expect(sample(text, "parley_ack_errors_total", 'event="chat:send",code="FORBIDDEN"')).toBe(1);
    expect(text).toContain("# TYPE parley_ack_duration_seconds histogram");
    expect(text).toContain("# TYPE parley_socket_events_received_total counter");
  });

  it("bounds incoming names to the known events: anything else a client sends is 'unknown'", async () => {
    const metrics = createProcessMetrics({ collectProcessMetrics: false });
    metrics.setKnownIncomingEvents(["system:ping"]);
    for (let i = 0; i < 1_000; i += 1) metrics.eventReceived(`made-up-${i}`);
    const text = await metrics.registry.metrics();
    expect(sample(text, "parley_socket_events_received_total", 'event="unknown"')).toBe(1_000);
    expect(text).not.toContain("made-up-");
  });

  it("reads gauges from the live sources at scrape time", async () => {
    const metrics = createProcessMetrics({ collectProcessMetrics: false });
    metrics.setLiveSources({ openSockets: () => 3, connectedUsers: () => 2, activeCalls: async () => 1, ringingCalls: async () => 0, matchQueueLength: async () => 4 });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^parley_open_sockets 3$/m);
    expect(text).toMatch(/^parley_connected_users 2$/m);
    expect(text).toMatch(/^parley_active_calls 1$/m);
    expect(text).toMatch(/^parley_match_queue_length 4$/m);
  });

  it("times database statements by operation and counts failures", async () => {
    const metrics = createProcessMetrics({ collectProcessMetrics: false });
    metrics.observeDbQuery("query", 0.0003, true);
    metrics.observeDbQuery("execute", 0.002, false);
    const text = await metrics.registry.metrics();
    expect(sample(text, "parley_db_query_duration_seconds_count", 'operation="query"')).toBe(1);
    expect(sample(text, "parley_db_query_duration_seconds_bucket", 'operation="query",le="0.0005"')).toBe(1);
    expect(sample(text, "parley_db_query_errors_total", 'operation="execute"')).toBe(1);
  });

  it("reports the recent error rate over the covered part of the 5-minute window", () => {
    let now = 1_000_000;
    const metrics = createProcessMetrics({ collectProcessMetrics: false, now: () => now });
    metrics.setKnownIncomingEvents(["chat:send"]);
    now += 60_000;
    for (let i = 0; i < 4; i += 1) metrics.ackAnswered("chat:send", 0.001, null);
    metrics.ackAnswered("chat:send", 0.001, "RATE_LIMITED");
    metrics.ackAnswered("chat:send", 0.001, "INTERNAL");
    expect(metrics.recentRates(now)).toEqual({ errors: 2, errorsPerMinute: 2, requestsPerMinute: 6, errorsByCode: { RATE_LIMITED: 1, INTERNAL: 1 }, windowSeconds: 300 });
    // Six minutes on, those errors have left the window.
    now += 360_000;
    expect(metrics.recentRates(now)).toMatchObject({ errors: 0, errorsPerMinute: 0, requestsPerMinute: 0 });
  });

  it("includes process metrics when asked", async () => {
    const metrics = createProcessMetrics();
    const text = await metrics.registry.metrics();
    expect(text).toContain("parley_process_cpu_user_seconds_total");
    expect(text).toContain("parley_nodejs_eventloop_lag_seconds");
  });
});
