import { existsSync } from "node:fs";

import { defineConfig, devices } from "@playwright/test";

import { E2E_PORT, e2eServerEnv } from "./e2e/support/server-env";

const PORT = E2E_PORT;
const PREVIEW_PORT = PORT + 1;
const LINKED_PREVIEW_PORT = PORT + 2;
// Per port, so two runs on different E2E_PORTs (parallel work) never share files.
const DATA_DIR = `test-results/e2e-data-${PORT}`;

/** Debian's Chromium where it exists (no browser downloads on CI machines), else Playwright's own. */
function chromiumExecutable(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((candidate): candidate is string => !!candidate && existsSync(candidate));
}

const executablePath = chromiumExecutable();
const serverEnv = e2eServerEnv(DATA_DIR);

export default defineConfig({
  testDir: "e2e",
  outputDir: `test-results/playwright-${PORT}`,
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.E2E_REPORT ? [["list"], ["json", { outputFile: process.env.E2E_REPORT }]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        // Calls: a synthetic camera and microphone, and no permission prompt (real WebRTC on loopback).
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
      ],
    },
    permissions: ["camera", "microphone"],
  },
  projects: [
    { name: "app", testIgnore: /preview\.spec\.ts/, use: { ...devices["Desktop Chrome"] } },
    { name: "preview", testMatch: /\/preview\.spec\.ts/, use: { ...devices["Desktop Chrome"], baseURL: `http://127.0.0.1:${PREVIEW_PORT}` } },
    { name: "linked-preview", testMatch: /linked-preview\.spec\.ts/, use: { ...devices["Desktop Chrome"], baseURL: `http://127.0.0.1:${LINKED_PREVIEW_PORT}` } },
  ],
  webServer: [
    {
      // The real server.ts (bundled), on a fresh database every run.
      command: `rm -rf ${DATA_DIR} && node dist/server.js`,
      url: `http://127.0.0.1:${PORT}/api/health`,
      env: { ...serverEnv, PORT: String(PORT), ALLOWED_ORIGINS: `http://127.0.0.1:${LINKED_PREVIEW_PORT}` },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // A preview-style deploy: Next alone (no server.ts), pointed at a realtime server that is not there.
      command: `npx next start -H 127.0.0.1 -p ${PREVIEW_PORT}`,
      url: `http://127.0.0.1:${PREVIEW_PORT}/sign-in`,
      env: { ...serverEnv, SOCKET_URL: "http://127.0.0.1:9", NEXTAUTH_URL: `http://127.0.0.1:${PREVIEW_PORT}` },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // A preview deploy on another origin whose browsers use the real server.ts as realtime server.
      command: `npx next start -H 127.0.0.1 -p ${LINKED_PREVIEW_PORT}`,
      url: `http://127.0.0.1:${LINKED_PREVIEW_PORT}/sign-in`,
      env: { ...serverEnv, SOCKET_URL: `http://127.0.0.1:${PORT}`, NEXTAUTH_URL: `http://127.0.0.1:${LINKED_PREVIEW_PORT}` },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
