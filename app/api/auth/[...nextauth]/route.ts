import NextAuth from "next-auth";

import { getAuthOptions } from "@/lib/auth/options";

export const dynamic = "force-dynamic";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Options are built per request (lazily, once) so `next build` needs no runtime secret.
function handler(req: Request, context: RouteContext): Promise<Response> {
  return NextAuth(req as never, context as never, getAuthOptions()) as Promise<Response>;
}

export { handler as GET, handler as POST };
