/** The one administrator of an e2e server run (ADMIN_EMAILS is fixed for the run), shared by every spec. */
import type { BrowserContext } from "@playwright/test";

import { signInViaApi, type SeededUser } from "./api";
import { E2E_ADMIN_EMAIL } from "./server-env";

export const E2E_ADMIN: SeededUser = { name: "Instance Admin", email: E2E_ADMIN_EMAIL, password: "e2e-admin-password-0123456789" };

/** The admin's browser context, signed in; registers the account unless an earlier spec (or a repeat) did. */
export async function signInAdmin(browser: { newContext: (options: { baseURL: string }) => Promise<BrowserContext> }, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL });
  const response = await context.request.post("/api/register", { data: E2E_ADMIN });
  // 409: already registered within this server run (another spec, or --repeat-each).
  if (response.status() !== 201 && response.status() !== 409) throw new Error(`admin register: ${response.status()} ${await response.text()}`);
  await signInViaApi(context.request, E2E_ADMIN);
  return context;
}
