import { expect, type Locator, type Page } from "@playwright/test";

export class ShellPage {
  readonly connection: Locator;
  readonly accountMenu: Locator;

  constructor(readonly page: Page) {
    this.connection = page.getByTestId("connection-status");
    this.accountMenu = page.getByRole("button", { name: "Account menu" });
  }

  async expectConnected(): Promise<void> {
    await expect(this.connection).toHaveAttribute("data-state", "connected");
    await expect(this.connection).toContainText("Connected");
  }

  /** Runs the connection check and returns the element counting how often its echo reached the store. */
  async checkConnectionDeliveries(): Promise<Locator> {
    if ((await this.connection.getAttribute("aria-expanded")) !== "true") await this.connection.click();
    const check = this.page.getByTestId("connection-check");
    await this.page.getByRole("button", { name: "Check connection" }).click();
    // The ack follows the echo on the same socket: once it is back, every listener has already run.
    await expect(check).toHaveAttribute("data-check", "done");
    return this.page.getByTestId("echo-deliveries");
  }

  async signOut(): Promise<void> {
    await this.accountMenu.click();
    await this.page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(this.page).toHaveURL(/\/sign-in$/);
  }
}

export async function fillSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
