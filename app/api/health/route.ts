import { pingDb } from "@/lib/db";
import { getRealtimeServer } from "@/lib/realtime/server/registry";

export const dynamic = "force-dynamic";

/** Liveness plus the facts an operator looks at first. 503 when the database is unreachable. */
export async function GET(): Promise<Response> {
  const database = await pingDb();
  const io = getRealtimeServer();
  const body = {
    status: database ? "ok" : "degraded",
    database: database ? "up" : "down",
    uptimeSeconds: Math.round(process.uptime()),
    realtime: io ? "attached" : "absent",
    openSockets: io ? io.engine.clientsCount : 0,
  };
  return Response.json(body, { status: database ? 200 : 503, headers: { "cache-control": "no-store" } });
}
