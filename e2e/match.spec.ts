import type { Page } from "@playwright/test";

import { expect, test, type Participant } from "./support/chat-fixtures";
import { joinQueue as join, openMatch } from "./support/match-page";
import { inboundBytes, peerConnectionState, transceiverKinds } from "./support/webrtc";

// Anonymous voice matches between real browser contexts: fake microphone from the Chromium flags
// in playwright.config.ts, real WebRTC on loopback. Each test uses its own language, so a queue
// entry of one test can never pair with another test's people.

/** Neither the other account's name nor its email appears anywhere on the page. */
async function expectAnonymous(page: Page, other: Participant): Promise<void> {
  const text = await page.locator("body").innerText();
  expect(text).not.toContain(other.user.name);
  expect(text).not.toContain(other.user.email);
  expect(await page.content()).not.toContain(other.id);
}

/** Every visible control of the Match page has an accessible name (own label, wrapping label, aria-label/labelledby or text). */
async function expectNamedControls(page: Page): Promise<void> {
  const unnamed = await page.getByTestId("match-page").locator("button, a, input, select, textarea").evaluateAll((elements) =>
    elements
      .filter((element) => (element as HTMLElement).offsetParent !== null)
      .filter((element) => {
        const labelledBy = element.getAttribute("aria-labelledby");
        const name =
          element.getAttribute("aria-label") ||
          (labelledBy && document.getElementById(labelledBy)?.textContent) ||
          (element.id && document.querySelector(`label[for="${element.id}"]`)?.textContent) ||
          element.closest("label")?.textContent ||
          (element.tagName === "BUTTON" || element.tagName === "A" ? element.textContent : "");
        return !name?.trim();
      })
      .map((element) => element.outerHTML.slice(0, 120)),
  );
  expect(unnamed).toEqual([]);
}

async function expectAudioFlowing(...pages: Page[]): Promise<void> {
  for (const page of pages) await expect.poll(() => peerConnectionState(page), { timeout: 15_000 }).toBe("connected");
  const before = await Promise.all(pages.map(inboundBytes));
  for (const [index, page] of pages.entries()) {
    await expect.poll(async () => (await inboundBytes(page)).audio, { timeout: 10_000 }).toBeGreaterThan(before[index]!.audio);
    expect((await inboundBytes(page)).video).toBe(0);
    expect(await transceiverKinds(page)).toEqual(["audio"]);
  }
}

test.describe("[MATCH]: anonymous voice calls with strangers", () => {
  test("two people with the same language are matched, talk anonymously over WebRTC, and both rate the call", async ({ join: newParticipant }) => {
    const [alice, bob] = await Promise.all([newParticipant("Alice"), newParticipant("Bob")]);
    const [a, b] = await Promise.all([openMatch(alice), openMatch(bob)]);

    await expectNamedControls(a);
    await join(a, { mood: "Chill", language: "sv", topic: "jazz" });
    await expect(a.getByTestId("match-queue")).toBeVisible();
    await expect(a.getByTestId("match-position")).toHaveText("You're next");
    await expect(a.getByTestId("match-waiting")).toHaveText("1 person waiting for Swedish");
    await expect(a.getByTestId("match-estimate")).not.toBeEmpty();
    await expectNamedControls(a);
    await join(b, { mood: "Chill", language: "sv" });

    // Matched: each side sees an alias, both moods and the topic, never the other account.
    for (const page of [a, b]) {
      await expect(page.getByTestId("match-call")).toBeVisible();
      await expect(page.getByTestId("match-moods")).toHaveText("You both feel chill");
    }
    const aliasSeenByAlice = (await a.getByTestId("match-peer-alias").innerText()).trim();
    const aliasSeenByBob = (await b.getByTestId("match-peer-alias").innerText()).trim();
    expect(aliasSeenByAlice).not.toBe("");
    expect(aliasSeenByAlice).not.toBe(aliasSeenByBob);
    await expect(b.getByText(`You appear to them as ${aliasSeenByAlice}.`)).toBeVisible();
    await expect(a.getByText(`You appear to them as ${aliasSeenByBob}.`)).toBeVisible();
    await expect(a.getByText("Your topic: jazz")).toBeVisible();
    await expect(b.getByText("Their topic: jazz")).toBeVisible();
    await expectAnonymous(a, bob);
    await expectAnonymous(b, alice);

    // The audio call connects and sound flows both ways; the page says so and the timer runs.
    await expectAudioFlowing(a, b);
    for (const page of [a, b]) {
      await expect(page.getByTestId("match-connection")).toHaveAttribute("data-state", "connected");
      await expect(page.getByTestId("match-connection")).toHaveText("Connected");
    }
    await expectNamedControls(a);
    // The Match page shows the call itself: no second, global call overlay.
    await expect(a.getByTestId("call-view")).toHaveCount(0);
    await expect(a.getByTestId("call-timer")).toHaveText(/^0:(0[1-9]|[1-5]\d)$/);

    await a.getByRole("button", { name: "End call" }).click();
    for (const page of [a, b]) {
      await expect(page.getByTestId("match-ended")).toBeVisible();
      await expect.poll(() => page.evaluate(() => window.__parleyPeer ?? null)).toBeNull();
    }
    await expect(a.getByRole("heading", { name: `Your call with ${aliasSeenByAlice} ended` })).toBeVisible();
    await a.getByRole("button", { name: "Report" }).click();
    await expectNamedControls(a);
    await a.getByRole("button", { name: "Cancel" }).click();

    // Both rate: stars have accessible names; the server's answer shows as thanks.
    for (const [page, score] of [[a, 4], [b, 5]] as const) {
      await page.getByRole("radio", { name: `Rate ${score} out of 5` }).check();
      if (score === 5) await page.getByLabel(/^Feedback/).fill("Lovely chat");
      await page.getByRole("button", { name: "Submit rating" }).click();
      await expect(page.getByTestId("match-rating-thanks")).toContainText(`${score} out of 5`);
    }
    await expectAnonymous(a, bob);

    // History labels the call with the alias only.
    await b.getByRole("button", { name: "Done" }).click();
    await expect(b.getByRole("button", { name: "Join", exact: true })).toBeVisible();
    await a.getByRole("link", { name: "Calls", exact: true }).click();
    const row = a.getByTestId("call-history-item").first();
    await expect(row).toHaveAttribute("data-match", "true");
    await expect(row).toContainText(`Match · ${aliasSeenByAlice}`);
    await expectAnonymous(a, bob);
  });

  test("the queue shows live positions, and leaving it moves the next person up", async ({ join: newParticipant }) => {
    const [alice, bob] = await Promise.all([newParticipant("Alice"), newParticipant("Bob")]);
    const [a, b] = await Promise.all([openMatch(alice), openMatch(bob)]);

    // Moods that never pair before the wait relaxes (20 s by default): both stay queued.
    await join(a, { mood: "Happy", language: "ja" });
    await expect(a.getByTestId("match-position")).toHaveText("You're next");
    await join(b, { mood: "Need to vent", language: "ja" });
    await expect(b.getByTestId("match-position")).toHaveText("2nd in line");
    await expect(b.getByTestId("match-waiting")).toHaveText("2 people waiting for Japanese");
    await expect(b.getByTestId("match-preferences")).toHaveText("Need to vent · Japanese");

    await a.getByRole("button", { name: "Leave the queue" }).click();
    await expect(a.getByRole("button", { name: "Join", exact: true })).toBeVisible();
    await expect(a.getByTestId("match-page")).toHaveAttribute("data-phase", "idle");
    await expect(b.getByTestId("match-position")).toHaveText("You're next");

    await b.getByRole("button", { name: "Leave the queue" }).click();
    await expect(b.getByTestId("match-page")).toHaveAttribute("data-phase", "idle");
  });

  test("a queued tab that loses its connection joins the queue again by itself, and is matched", async ({ join: newParticipant }) => {
    const [alice, bob] = await Promise.all([newParticipant("Alice"), newParticipant("Bob")]);
    const [a, b] = await Promise.all([openMatch(alice), openMatch(bob)]);

    await join(a, { mood: "Thoughtful", language: "pl", topic: "books" });
    await expect(a.getByTestId("match-position")).toHaveText("You're next");
    // The server drops the entry of a socket that goes away; the client joins again on reconnect.
    await alice.context.setOffline(true);
    await expect(a.getByTestId("connection-status")).toHaveAttribute("data-state", "offline");
    await alice.context.setOffline(false);
    await expect(a.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
    await expect(a.getByTestId("match-page")).toHaveAttribute("data-phase", "queued");

    await join(b, { mood: "Thoughtful", language: "pl" });
    for (const page of [a, b]) await expect(page.getByTestId("match-call")).toBeVisible();
    await expect(b.getByText("Their topic: books")).toBeVisible();
    await expectAudioFlowing(a, b);
    await b.getByRole("button", { name: "End call" }).click();
    await expect(a.getByTestId("match-ended")).toBeVisible();
  });

  test("skip ends the call for both, re-queues the skipper, who rates the skipped call and meets someone new", async ({ join: newParticipant }) => {
    const [alice, bob, carol] = await Promise.all([newParticipant("Alice"), newParticipant("Bob"), newParticipant("Carol")]);
    const [a, b, c] = await Promise.all([openMatch(alice), openMatch(bob), openMatch(carol)]);

    await join(a, { mood: "Curious", language: "ko" });
    await expect(a.getByTestId("match-queue")).toBeVisible();
    await join(b, { mood: "Playful", language: "ko" });
    await expect(a.getByTestId("match-moods")).toHaveText("You: Curious, them: Playful");
    const firstAlias = (await a.getByTestId("match-peer-alias").innerText()).trim();
    await expect(a.getByTestId("match-connection")).toHaveAttribute("data-state", "connected", { timeout: 15_000 });

    await a.getByRole("button", { name: "Skip to the next person" }).click();
    await expect(a.getByTestId("match-queue")).toBeVisible();
    await expect(a.getByTestId("match-position")).toHaveText("You're next");
    await expect(b.getByTestId("match-ended")).toBeVisible();

    // The skipped call, rated in one click from the queue view.
    const skipped = a.getByTestId("match-skipped");
    await expect(skipped).toContainText(`Rate your call with ${firstAlias}`);
    await skipped.getByRole("button", { name: "Rate 2 out of 5" }).click();
    await expect(a.getByTestId("match-rating-thanks")).toContainText("2 out of 5");

    // The next person.
    await join(c, { mood: "Curious", language: "ko" });
    await expect(a.getByTestId("match-call")).toBeVisible();
    await expect(a.getByTestId("match-peer-alias")).not.toHaveText(firstAlias);
    await expectAudioFlowing(a, c);
    await expectAnonymous(a, carol);
    await expectAnonymous(c, alice);

    await c.getByRole("button", { name: "End call" }).click();
    await expect(a.getByTestId("match-ended")).toBeVisible();
    await expect(c.getByTestId("match-ended")).toBeVisible();
  });
});
