import { dbReady } from "@/lib/db";
import { checkReadiness } from "@/lib/ops/readiness";

export const dynamic = "force-dynamic";

/**
 * Readiness (load balancers, Kubernetes readinessProbe): 200 when this process may take traffic,
 * 503 with `{ status: "unavailable", reason }` while it drains or a dependency is down. The
 * database is always checked; other dependencies register their own check (lib/ops/readiness.ts).
 * Liveness is `/api/health`.
 */
export async function GET(): Promise<Response> {
  const report = await checkReadiness({
    database: async () => (await dbReady()).$queryRawUnsafe("SELECT 1"),
  });
  const body = { status: report.ready ? "ready" : "unavailable", reason: report.reason, draining: report.draining, checks: report.checks };
  return Response.json(body, { status: report.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
}
