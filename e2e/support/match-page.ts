/** Driving the Match page (app/(app)/match) as a person does: shared by the match specs. */
import type { Page } from "@playwright/test";

import { expect, type Participant } from "./chat-fixtures";

export type Preferences = { mood: string; language: string; topic?: string };

export async function openMatch(participant: Participant): Promise<Page> {
  const { page, context } = participant;
  // Contexts made with browser.newContext may not inherit `use.permissions`.
  await context.grantPermissions(["microphone"]);
  await page.goto("/match");
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
  await expect(page.getByRole("heading", { name: "Match", level: 1 })).toBeVisible();
  return page;
}

export async function joinQueue(page: Page, { mood, language, topic }: Preferences): Promise<void> {
  await page.getByRole("radio", { name: mood, exact: true }).check();
  await page.getByLabel("Language").selectOption(language);
  if (topic) await page.getByLabel("Topic").fill(topic);
  await page.getByRole("button", { name: "Join", exact: true }).click();
}
