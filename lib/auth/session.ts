/** Server-side session access for RSC and route handlers. */
import { getServerSession } from "next-auth";

import { getAuthOptions } from "@/lib/auth/options";
import type { SessionUserDto } from "@/lib/realtime/protocol";

export async function getSessionUser(): Promise<SessionUserDto | null> {
  const session = await getServerSession(getAuthOptions());
  const user = session?.user;
  if (!user?.id || !user.email) return null;
  return { id: user.id, name: user.name ?? user.email, email: user.email, role: user.role };
}
