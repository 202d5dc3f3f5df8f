/** `/metrics`, served by server.ts before Next.js sees the request (not a Next route). */
import type { IncomingMessage, ServerResponse } from "node:http";

import { checkMetricsAccess } from "./metrics-access";
import type { ProcessMetrics } from "./metrics";

export const METRICS_PATH = "/metrics";

export function isMetricsRequest(req: IncomingMessage): boolean {
  const url = req.url ?? "";
  return url === METRICS_PATH || url.startsWith(`${METRICS_PATH}?`);
}

export async function serveMetrics(req: IncomingMessage, res: ServerResponse, options: { metrics: ProcessMetrics; token: string | undefined }): Promise<void> {
  const access = checkMetricsAccess({ remoteAddress: req.socket.remoteAddress, headers: req.headers, token: options.token });
  if (!access.ok) {
    const headers: Record<string, string> = { "content-type": "application/json", "cache-control": "no-store" };
    if (access.status === 401) headers["www-authenticate"] = 'Bearer realm="metrics"';
    res.writeHead(access.status, headers).end(JSON.stringify({ error: access.status === 401 ? "UNAUTHORIZED" : "FORBIDDEN", reason: access.reason }));
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  try {
    const body = await options.metrics.registry.metrics();
    res.writeHead(200, { "content-type": options.metrics.registry.contentType, "cache-control": "no-store" }).end(req.method === "HEAD" ? undefined : body);
  } catch {
    res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: "INTERNAL" }));
  }
}
