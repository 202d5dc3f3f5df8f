import type { Page } from "@playwright/test";

import { expect, openConversation, test, type Participant } from "./support/chat-fixtures";
import { E2E_CALL_RING_TIMEOUT_MS } from "./support/server-env";
import { inboundBytes, peerConnectionState } from "./support/webrtc";

// Real WebRTC between two browser contexts on loopback: fake camera and microphone from the
// Chromium flags in playwright.config.ts; the app exposes its live RTCPeerConnection as
// `window.__parleyPeer` (read-only) so the test can read connectionState and getStats().
declare global {
  interface Window {
    __parleyClickAt?: number;
    __parleyTracks?: MediaStreamTrack[];
  }
}

async function openApp(page: Page): Promise<void> {
  await page.goto("/");
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
}

/** Alice in her direct conversation with Bob, Bob elsewhere in the app; both may use camera and microphone. */
async function callingPair(
  join: (name: string) => Promise<Participant>,
  openDirect: (from: Participant, to: Participant) => Promise<{ id: string }>,
): Promise<[Participant, Participant]> {
  const [alice, bob] = await Promise.all([join("Alice"), join("Bob")]);
  await withMedia(alice, bob);
  const conversation = await openDirect(alice, bob);
  await Promise.all([openConversation(alice.page, conversation.id), openApp(bob.page)]);
  return [alice, bob];
}

/** Grants media again per context: contexts made with browser.newContext may not inherit `use.permissions`. */
async function withMedia(...participants: Participant[]): Promise<void> {
  await Promise.all(participants.map(({ context }) => context.grantPermissions(["camera", "microphone"])));
}

/** The page's clock (comparable across pages of one machine) at its next click. */
async function recordNextClick(page: Page): Promise<void> {
  await page.evaluate(() => {
    delete window.__parleyClickAt;
    document.addEventListener("click", () => (window.__parleyClickAt = performance.timeOrigin + performance.now()), { capture: true, once: true });
  });
}

type MediaMarks = { peerAt: number | null; connectedAt: number | null; videoAt: number | null };

/**
 * Polls every 10 ms (page clock) for: the peer connection existing, it reaching "connected", and
 * the first inbound video bytes in getStats(). The breakdown shows where accept → media goes.
 */
async function mediaMarks(page: Page): Promise<MediaMarks> {
  return page.evaluate(async () => {
    const marks: MediaMarks = { peerAt: null, connectedAt: null, videoAt: null };
    const now = () => performance.timeOrigin + performance.now();
    const deadline = performance.now() + 15_000;
    while (performance.now() < deadline && marks.videoAt === null) {
      const pc = window.__parleyPeer;
      if (pc) {
        marks.peerAt ??= now();
        if (pc.connectionState === "connected") marks.connectedAt ??= now();
        let bytes = 0;
        (await pc.getStats()).forEach((report: { type: string; kind?: string; bytesReceived?: number }) => {
          if (report.type === "inbound-rtp" && report.kind === "video") bytes += report.bytesReceived ?? 0;
        });
        if (bytes > 0) marks.videoAt = now();
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return marks;
  });
}

function toast(page: Page, text: string | RegExp) {
  return page.locator("[data-sonner-toast]").filter({ hasText: text });
}

function historyItems(page: Page) {
  return page.getByTestId("call-history-item");
}

test.describe("[CALLS]: 1-1 audio and video over WebRTC", () => {
  test("A video-calls B: both connect, media flows both ways, mute shows, hang-up frees the devices, history has the duration", async ({ join, openDirect }) => {
    const [alice, bob] = await callingPair(join, openDirect);

    // Ringing: A's click → B's incoming dialog.
    await recordNextClick(alice.page);
    await alice.page.getByRole("button", { name: "Start video call" }).click();
    const incoming = bob.page.getByRole("alertdialog", { name: "Incoming video call" });
    await expect(incoming).toBeVisible();
    await expect(incoming).toContainText(`${alice.user.name} is calling you`);
    await expect(alice.page.getByTestId("call-view")).toHaveAttribute("data-phase", "outgoing-ringing");
    const clickAt = await alice.page.evaluate(() => window.__parleyClickAt ?? NaN);
    const shownAt = Number(await bob.page.getByTestId("incoming-call").getAttribute("data-shown-at"));
    const ringingMs = shownAt - clickAt;

    // Accept with video → first inbound video bytes at B.
    await recordNextClick(bob.page);
    const marksPromise = mediaMarks(bob.page);
    await incoming.getByRole("button", { name: "Accept with video" }).click();
    const marks = await marksPromise;
    const acceptAt = await bob.page.evaluate(() => window.__parleyClickAt ?? NaN);
    expect(marks.videoAt).not.toBeNull();
    const since = (at: number | null) => (at === null ? "?" : `${(at - acceptAt).toFixed(0)} ms`);
    console.log(
      `[calls] click → callee ringing: ${ringingMs.toFixed(1)} ms; accept → first inbound video bytes: ${(marks.videoAt! - acceptAt).toFixed(1)} ms` +
        ` (peer connection created at ${since(marks.peerAt)}, connected at ${since(marks.connectedAt)})`,
    );

    for (const page of [alice.page, bob.page]) {
      await expect.poll(() => peerConnectionState(page), { timeout: 15_000 }).toBe("connected");
      await expect(page.getByTestId("call-view")).toHaveAttribute("data-phase", "active");
      await expect(page.getByTestId("remote-video")).toBeVisible();
      await expect(page.getByTestId("self-video")).toBeVisible();
    }

    // Inbound audio and video keep growing on both sides.
    const before = await Promise.all([inboundBytes(alice.page), inboundBytes(bob.page)]);
    await alice.page.waitForTimeout(1_500);
    const after = await Promise.all([inboundBytes(alice.page), inboundBytes(bob.page)]);
    for (const side of [0, 1]) {
      expect(before[side]!.audio).toBeGreaterThan(0);
      expect(before[side]!.video).toBeGreaterThan(0);
      expect(after[side]!.audio).toBeGreaterThan(before[side]!.audio);
      expect(after[side]!.video).toBeGreaterThan(before[side]!.video);
    }

    // B mutes: A sees it; B unmutes: A sees that too.
    await bob.page.getByRole("button", { name: "Mute", exact: true }).click();
    await expect(alice.page.getByTestId("peer-muted")).toHaveText(`${bob.user.name} is muted`);
    await bob.page.getByRole("button", { name: "Unmute" }).click();
    await expect(alice.page.getByTestId("peer-muted")).toHaveCount(0);
    await expect(alice.page.getByTestId("call-timer")).toHaveText(/^0:(0[2-9]|[1-5]\d)$/);

    // Remember each side's local tracks to check that ending the call stops them (camera light off).
    for (const page of [alice.page, bob.page]) {
      await page.evaluate(() => {
        const video = document.querySelector<HTMLVideoElement>('[data-testid="self-video"]');
        window.__parleyTracks = video?.srcObject instanceof MediaStream ? video.srcObject.getTracks() : [];
      });
    }

    await alice.page.getByRole("button", { name: "End call" }).click();
    for (const page of [alice.page, bob.page]) {
      await expect(page.getByTestId("call-view")).toHaveCount(0);
      await expect(toast(page, /^Call ended · 0:\d\d/)).toBeVisible();
      expect(await page.evaluate(() => window.__parleyPeer ?? null)).toBeNull();
      const tracks = await page.evaluate(() => (window.__parleyTracks ?? []).map((track) => `${track.kind}:${track.readyState}`));
      expect(tracks.sort()).toEqual(["audio:ended", "video:ended"]);
    }

    // History on both sides: completed, with the duration.
    for (const [participant, direction] of [[alice, "outgoing"], [bob, "incoming"]] as const) {
      await participant.page.goto("/calls");
      const item = historyItems(participant.page).first();
      await expect(item).toHaveAttribute("data-outcome", "completed");
      await expect(item).toHaveAttribute("data-direction", direction);
      expect(Number(await item.getAttribute("data-duration"))).toBeGreaterThanOrEqual(2);
      await expect(item.getByTestId("call-outcome")).toHaveText(/^Completed · 0:\d\d$/);
      await expect(item).toContainText(`${direction === "outgoing" ? "Outgoing" : "Incoming"} video call`);
    }
  });

  test("a brief loss of B's connection does not end the call: B's socket comes back, is bound again, and relays work", async ({ join, openDirect }) => {
    const [alice, bob] = await callingPair(join, openDirect);
    await alice.page.getByRole("button", { name: "Start audio call" }).click();
    await bob.page.getByRole("alertdialog", { name: "Incoming audio call" }).getByRole("button", { name: "Accept with audio" }).click();
    for (const page of [alice.page, bob.page]) await expect.poll(() => peerConnectionState(page), { timeout: 15_000 }).toBe("connected");

    await bob.context.setOffline(true);
    await expect(bob.page.getByTestId("connection-status")).toHaveAttribute("data-state", "offline");
    await bob.context.setOffline(false);
    await expect(bob.page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");

    // Still one live call on both sides, media still flowing, and B's new socket carries the relays.
    for (const page of [alice.page, bob.page]) {
      await expect(page.getByTestId("call-view")).toHaveAttribute("data-phase", "active");
      await expect.poll(() => peerConnectionState(page), { timeout: 15_000 }).toBe("connected");
    }
    const before = await inboundBytes(alice.page);
    await expect.poll(async () => (await inboundBytes(alice.page)).audio, { timeout: 10_000 }).toBeGreaterThan(before.audio);
    await expect
      .poll(
        async () => {
          const unmute = bob.page.getByRole("button", { name: "Unmute" });
          if ((await unmute.count()) > 0) await unmute.click();
          await bob.page.getByRole("button", { name: "Mute", exact: true }).click();
          return alice.page.getByTestId("peer-muted").count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);

    await bob.page.getByRole("button", { name: "End call" }).click();
    for (const page of [alice.page, bob.page]) await expect(toast(page, /^Call ended · \d+:\d\d/)).toBeVisible();
  });

  test("a declined call ends for both sides and shows as declined in both histories", async ({ join, openDirect }) => {
    const [alice, bob] = await callingPair(join, openDirect);

    await alice.page.getByRole("button", { name: "Start audio call" }).click();
    const incoming = bob.page.getByRole("alertdialog", { name: "Incoming audio call" });
    await incoming.getByRole("button", { name: "Decline" }).click();
    await expect(incoming).toHaveCount(0);
    await expect(alice.page.getByTestId("call-view")).toHaveCount(0);
    const declined = toast(alice.page, `Declined: ${bob.user.name} declined the call`);
    await expect(declined).toBeVisible();
    // Toasts sit over the conversation header's right end (and wait while the tab is in the background).
    await declined.getByRole("button", { name: "Close toast" }).click();
    await expect(declined).toHaveCount(0);

    // From the conversation's "Call history" link (filtered to Bob) and from Bob's /calls.
    await alice.page.getByRole("link", { name: "Call history" }).click();
    await expect(alice.page.getByRole("heading", { name: `Calls with ${bob.user.name}` })).toBeVisible();
    await expect(historyItems(alice.page).first()).toHaveAttribute("data-outcome", "declined");
    await bob.page.goto("/calls");
    await expect(historyItems(bob.page).first()).toHaveAttribute("data-outcome", "declined");
    await expect(historyItems(bob.page).first().getByTestId("call-outcome")).toHaveText("Declined");
  });

  test("an unanswered call ends as missed and leaves a missed-call notification on B's bell", async ({ join, openDirect }) => {
    test.setTimeout(60_000 + E2E_CALL_RING_TIMEOUT_MS);
    const [alice, bob] = await callingPair(join, openDirect);

    await alice.page.getByRole("button", { name: "Start video call" }).click();
    const incoming = bob.page.getByRole("alertdialog", { name: "Incoming video call" });
    await expect(incoming).toBeVisible();
    // Nobody answers: the server's ring timeout ends it for both.
    await expect(incoming).toHaveCount(0, { timeout: E2E_CALL_RING_TIMEOUT_MS + 10_000 });
    await expect(alice.page.getByTestId("call-view")).toHaveCount(0);
    await expect(toast(alice.page, `Missed: ${bob.user.name} did not answer`)).toBeVisible();

    const bell = bob.page.getByTestId("notification-bell");
    await expect(bell).toHaveAccessibleName("Notifications, 1 unread");
    await bell.click();
    await expect(bob.page.getByRole("dialog", { name: "Notifications" })).toContainText(`Missed call from ${alice.user.name}`);

    await bob.page.goto("/calls");
    await expect(historyItems(bob.page).first()).toHaveAttribute("data-outcome", "missed");
    await expect(historyItems(bob.page).first()).toContainText("Incoming video call");
  });
});
