import { expect, test } from "@playwright/test";

import { fillSignIn, ShellPage } from "./pages/shell-page";
import { newUser, registerViaApi } from "./support/api";

test.describe("[AUTH]: account lifecycle", () => {
  test("register, see Connected, reload without duplicate listeners, sign out, sign in as someone else", async ({ page, request }) => {
    const alice = newUser("Alice");
    const bob = newUser("Bob");
    await registerViaApi(request, bob);
    const shell = new ShellPage(page);

    await page.goto("/register");
    await page.getByLabel("Name").fill(alice.name);
    await page.getByLabel("Email").fill(alice.email);
    await page.getByLabel(/^Password/).fill(alice.password);
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(page).toHaveURL(/\/$/);
    await shell.expectConnected();
    await expect(page.getByTestId("conversations-empty")).toBeVisible();

    await page.reload();
    await shell.expectConnected();
    const deliveries = await shell.checkConnectionDeliveries();
    await expect(deliveries).toHaveAttribute("data-count", "1");
    await expect(page.getByTestId("realtime-user")).toHaveText(alice.name);

    await shell.signOut();
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

    await fillSignIn(page, bob.email, bob.password);
    await expect(page).toHaveURL(/\/$/);
    await shell.expectConnected();
    await shell.connection.click();
    // The realtime stores were rebuilt for the new identity: nothing of Alice's session is left.
    await expect(page.getByTestId("realtime-user")).toHaveText(bob.name);
    await expect(page.getByTestId("echo-deliveries")).toHaveText("—");
    await expect(page.getByTestId("latency")).toHaveText("—");
  });

  test("signing out in one tab disconnects the other tab of the same browser", async ({ page, context, request }) => {
    const carol = newUser("Carol");
    await registerViaApi(request, carol);
    await page.goto("/sign-in");
    await fillSignIn(page, carol.email, carol.password);
    const first = new ShellPage(page);
    await first.expectConnected();

    const otherTab = await context.newPage();
    await otherTab.goto("/");
    const second = new ShellPage(otherTab);
    await second.expectConnected();

    await first.signOut();
    await expect(otherTab).toHaveURL(/\/sign-in$/);
  });

  test("app routes redirect to sign-in when signed out", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  });
});

test.describe("[AUTH]: inline validation", () => {
  test("register explains empty fields, a malformed email, a short password and a taken email", async ({ page, request }) => {
    const taken = newUser("Dave");
    await registerViaApi(request, taken);
    await page.goto("/register");
    const submit = page.getByRole("button", { name: "Create account" });

    await submit.click();
    await expect(page.getByText("Enter your name.")).toBeVisible();
    await expect(page.getByText("Enter your email address.")).toBeVisible();
    await expect(page.getByText("Choose a password.")).toBeVisible();

    await page.getByLabel("Name").fill("Eve");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel(/^Password/).fill("short");
    await submit.click();
    await expect(page.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();
    await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");

    await page.getByLabel("Email").fill(taken.email.toUpperCase());
    await page.getByLabel(/^Password/).fill("long-enough-password");
    await submit.click();
    await expect(page.getByText("An account with this email already exists. Sign in instead.")).toBeVisible();
    await expect(page).toHaveURL(/\/register$/);
  });

  test("sign-in says the same for a wrong password and an unknown email", async ({ page, request }) => {
    const frank = newUser("Frank");
    await registerViaApi(request, frank);
    await page.goto("/sign-in");

    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Enter your email address.")).toBeVisible();
    await expect(page.getByText("Enter your password.")).toBeVisible();

    await fillSignIn(page, frank.email, "wrong-password");
    await expect(page.getByTestId("form-error")).toHaveText("Wrong email or password.");

    await fillSignIn(page, "nobody-here@example.test", "wrong-password");
    await expect(page.getByTestId("form-error")).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/sign-in$/);
  });
});
