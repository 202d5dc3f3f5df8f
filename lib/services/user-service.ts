/** Accounts: registration and credential checks over Prisma. Node-only. */
import { burnPasswordCheck, hashPassword, verifyPassword } from "@/lib/auth/password";
import { dbReady } from "@/lib/db";
import { getServerEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createBatchLoader } from "@/lib/services/batch-loader";
import type { SessionUserDto } from "@/lib/realtime/protocol";
import type { RegisterInput } from "@/lib/validations/auth";
import { readByKeys } from "@/lib/db/direct-sqlite";

type UserRow = { id: string; name: string; email: string; role: string };

/** Admins: the stored role (the first account registered) or an email listed in ADMIN_EMAILS. */
export function toSessionUser(user: UserRow): SessionUserDto {
  const isAdmin = user.role === "admin" || (getServerEnv().ADMIN_EMAILS ?? []).includes(user.email.toLowerCase());
  return { id: user.id, name: user.name, email: user.email, role: isAdmin ? "admin" : "user" };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "P2002";
}

export async function registerUser(input: RegisterInput): Promise<SessionUserDto> {
  const db = await dbReady();
  const passwordHash = await hashPassword(input.password);
  try {
    // The first account administers the instance (announcements, admin page).
    const user = await db.$transaction(async (tx) => {
      const isFirst = (await tx.user.count()) === 0;
      return tx.user.create({ data: { name: input.name, email: input.email, passwordHash, role: isFirst ? "admin" : "user" } });
    });
    return toSessionUser(user);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", { userMessage: "An account with this email already exists. Sign in instead." });
    }
    throw error;
  }
}

export async function verifyCredentials(email: string, password: string): Promise<SessionUserDto | null> {
  const db = await dbReady();
  const user = await db.user.findUnique({ where: { email } });
  if (!user) {
    await burnPasswordCheck(password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? toSessionUser(user) : null;
}

/** Handshakes and token requests arriving together read their users with one query (batch-loader.ts). */
const sessionUserLoader = createBatchLoader<string, SessionUserDto>(async (ids) => {
  const users =
    (await readByKeys<UserRow>(`SELECT u."id", u."name", u."email", u."role" FROM json_each(@keys) AS "k" JOIN "User" u ON u."id" = "k"."value"`, ids)) ??
    (await (await dbReady()).user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true, role: true } }));
  return new Map(users.map((user) => [user.id, toSessionUser(user)]));
});

export async function findSessionUser(id: string): Promise<SessionUserDto | null> {
  return (await sessionUserLoader(id)) ?? null;
}
