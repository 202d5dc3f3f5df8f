import { randomUUID } from "node:crypto";

import type { APIRequestContext } from "@playwright/test";

export type SeededUser = { name: string; email: string; password: string };

export function newUser(prefix: string): SeededUser {
  const id = randomUUID().slice(0, 8);
  return { name: `${prefix} ${id}`, email: `${prefix.toLowerCase()}-${id}@example.test`, password: `pw-${randomUUID()}` };
}

/** Creates an account through the real register route. */
export async function registerViaApi(request: APIRequestContext, user: SeededUser): Promise<void> {
  const response = await request.post("/api/register", { data: user });
  if (response.status() !== 201) throw new Error(`register failed: ${response.status()} ${await response.text()}`);
}

/** next-auth credentials sign-in over HTTP; the session cookie lands in the request's browser context. */
export async function signInViaApi(request: APIRequestContext, user: SeededUser): Promise<void> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: user.email, password: user.password, json: "true" },
  });
  if (!response.ok()) throw new Error(`sign-in failed: ${response.status()}`);
}
