/**
 * next-auth v4 configuration: credentials, JWT sessions, a per-browser-session id (`sid`) so a
 * sign-out can revoke that session's socket tokens and disconnect exactly its sockets.
 */
import { randomUUID } from "node:crypto";

import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";

import { resolveAuthSecret } from "@/lib/auth/secret";
import { getServerEnv } from "@/lib/env";
import { getLogger } from "@/lib/logger";
import { consumeSignInAttempt } from "@/lib/auth/attempt-limit";
import { disconnectSession } from "@/lib/realtime/server/session-control";
import { revokeSession } from "@/lib/services/session-service";
import { verifyCredentials } from "@/lib/services/user-service";
import { signInInputSchema } from "@/lib/validations/auth";

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

function clientIp(headers: unknown): string {
  const record = (headers ?? {}) as Record<string, string | string[] | undefined>;
  const forwarded = record["x-forwarded-for"];
  const first = Array.isArray(forwarded) ? forwarded[0] : forwarded;
  return first?.split(",")[0]?.trim() || "local";
}

let cached: NextAuthOptions | null = null;

/** Built lazily: `next build` imports route modules without a runtime environment. */
export function getAuthOptions(): NextAuthOptions {
  if (cached) return cached;
  cached = {
    secret: resolveAuthSecret(getServerEnv()),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = signInInputSchema.safeParse(credentials ?? {});
          if (!parsed.success) return null;
          const allowed = await consumeSignInAttempt(clientIp(req?.headers), parsed.data.email);
          if (!allowed) throw new Error("RATE_LIMITED");
          const user = await verifyCredentials(parsed.data.email, parsed.data.password);
          return user ? { id: user.id, name: user.name, email: user.email, role: user.role } : null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sid = randomUUID();
          token.role = (user as { role?: string }).role === "admin" ? "admin" : "user";
        }
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) {
          session.user.id = token.sub;
          session.user.role = token.role === "admin" ? "admin" : "user";
        }
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        const sid = typeof token?.sid === "string" ? token.sid : null;
        if (!sid || !token?.sub) return;
        try {
          await revokeSession(sid, token.sub);
          disconnectSession(sid);
        } catch (error) {
          getLogger().error({ err: error, userId: token.sub }, "failed to revoke session on sign-out");
        }
      },
    },
  };
  return cached;
}
