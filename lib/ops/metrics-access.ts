/**
 * Who may read `/metrics` (pure, unit-tested). With METRICS_TOKEN set: whoever sends
 * `Authorization: Bearer <token>`, from any address, loopback included. Without it: loopback
 * peers only, and only when no proxy header is present, since a reverse proxy on the same host
 * would otherwise make every outside request look local.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export type MetricsAccess = { ok: true } | { ok: false; status: 401 | 403; reason: string };

const PROXY_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip"] as const;

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4 === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function sameSecret(given: string, expected: string): boolean {
  // Hash both sides: equal lengths for timingSafeEqual, and no early exit on the length.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export function checkMetricsAccess(request: {
  remoteAddress: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  token: string | undefined;
}): MetricsAccess {
  const { token, headers } = request;
  if (token) {
    const header = headers.authorization;
    const value = Array.isArray(header) ? header[0] : header;
    const match = /^Bearer\s+(.+)$/i.exec(value ?? "");
    if (!match?.[1] || !sameSecret(match[1].trim(), token)) return { ok: false, status: 401, reason: "a valid bearer token is required" };
    return { ok: true };
  }
  if (!isLoopbackAddress(request.remoteAddress)) return { ok: false, status: 403, reason: "only loopback may read metrics without METRICS_TOKEN" };
  if (PROXY_HEADERS.some((name) => headers[name] !== undefined)) return { ok: false, status: 403, reason: "proxied requests need METRICS_TOKEN" };
  return { ok: true };
}
