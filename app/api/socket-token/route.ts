import type { NextRequest } from "next/server";

import { getAuthOptions } from "@/lib/auth/options";
import { issueSocketToken } from "@/lib/auth/socket-token-endpoint";

export const dynamic = "force-dynamic";

/**
 * Issues a short-lived socket token to the signed-in browser session (GET, same origin as
 * next-auth). server.ts answers this path itself before Next (lib/auth/socket-token-endpoint.ts);
 * this route serves a UI deployed without server.ts.
 */
export async function GET(request: NextRequest): Promise<Response> {
  return issueSocketToken(request, getAuthOptions().secret as string);
}
