/**
 * `npm run bench:pages`: what the browser pays to open Parley's pages, against the production build.
 *
 *   npm run build                    # measured as built: dist/server.js + .next
 *   npm run bench:pages -- [--runs 3] [--messages 40] [--no-lighthouse] [--save DIR] [--details] [--markdown]
 *
 * 1. First-load JavaScript of the chat route (/chat/[conversationId], signed in, a conversation
 *    with messages) against an empty App Router page built by the same next, react and
 *    next.config.js (bench/empty-next-app.ts): the scripts in the server-rendered HTML, summed
 *    raw, as served (gzip) and as brotli (bench/first-load-js.ts). Target: ≤ 1.6× the empty page.
 *    A second row counts every script Chromium fetched until the network was idle, so code split
 *    off but loaded right after hydration is not hidden.
 * 2. Lighthouse (mobile defaults) for /sign-in and for the chat page with the session cookie,
 *    `--runs` times each, medians (bench/lighthouse-runs.ts). Target: performance score ≥ 90.
 *
 * Parley runs from dist/server.js on a fresh SQLite data directory (test/support/server.ts).
 * `--save DIR` writes the median Lighthouse report of each page there; `--details` prints its
 * LCP element, JS execution by script and main-thread breakdown, plus the chat route's scripts;
 * `--markdown` prints the tables as markdown.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import type { ConversationDto } from "@/lib/realtime/protocol";

import { buildEmptyApp, startEmptyApp } from "./empty-next-app";
import { type FirstLoadJs, type LoadedJs, measureFirstLoadJs, measureLoadedJs } from "./first-load-js";
import { RawSocket } from "./generator";
import { diagnosticsOf, format, launchChromium, type LighthouseSeries, METRICS, runLighthouse } from "./lighthouse-runs";
import { registerAndSignIn } from "./parley-setup";
import { renderTable } from "./table";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FIRST_LOAD_TARGET = 1.6;
const SCORE_TARGET = 90;

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    messages: { type: "string", default: "40" },
    "no-lighthouse": { type: "boolean", default: false },
    save: { type: "string" },
    details: { type: "boolean", default: false },
    markdown: { type: "boolean", default: false },
  },
});
const RUNS = Number(values.runs);
const MESSAGES = Number(values.messages);
const MARKDOWN = values.markdown;

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Without the background-networking flags Debian's Chromium has its connections refused here.
const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const log = (line: string) => console.log(line);

/** Message bodies of an ordinary chat: mostly plain text, some markdown, a link, a code span. */
function messageBody(index: number): string {
  const bodies = [
    "Morning! Did you see the notes from yesterday's review?",
    "Yes, I read them on the train. Mostly agree with the **performance** points.",
    "Great. I think we should start with the sign-in page, it is the first thing people see.",
    "The bundle report is here: https://example.com/reports/bundle and the chat route is the heavy one.",
    "Let me check what `socket.io-client` costs on its own.",
    "Sounds good, ping me when you have numbers 👍",
    "Also: lunch at 12:30?",
    "Sure, see you there.",
  ];
  return bodies[index % bodies.length]!;
}

/** Two accounts in one group with `MESSAGES` messages, sent over real sockets; returns the reader's cookie. */
async function seedConversation(url: string): Promise<{ conversationId: string; cookie: string }> {
  const [reader, friend] = await Promise.all([registerAndSignIn(url, 0), registerAndSignIn(url, 1)]);
  const sockets = [new RawSocket(url, { token: reader.token }), new RawSocket(url, { token: friend.token })];
  try {
    await Promise.all(sockets.map((socket) => socket.whenReady()));
    const conversation = await sockets[0]!.request<ConversationDto>("conversation:create-group", { name: "Design review", memberIds: [friend.id] });
    for (let index = 0; index < MESSAGES; index += 1) {
      await sockets[index % 2]!.request("chat:send", { conversationId: conversation.id, clientMessageId: randomUUID(), body: messageBody(index) });
    }
    return { conversationId: conversation.id, cookie: reader.cookie };
  } finally {
    for (const socket of sockets) socket.close();
  }
}

const bytes = (value: number) => value.toLocaleString("en-US");

function firstLoadTable(empty: FirstLoadJs, chat: FirstLoadJs, emptyLoaded: LoadedJs, chatLoaded: LoadedJs): string {
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const verdict = chat.served / empty.served <= FIRST_LOAD_TARGET ? "met" : "NOT met";
  return [
    renderTable(
      ["first-load JavaScript (scripts in the HTML)", "files", "raw bytes", "gzip bytes (as served)", "brotli bytes (q11)"],
      [
        ["empty App Router page", String(empty.scripts.length), bytes(empty.raw), bytes(empty.served), bytes(empty.brotli)],
        ["chat route /chat/[conversationId]", String(chat.scripts.length), bytes(chat.raw), bytes(chat.served), bytes(chat.brotli)],
        ["chat ÷ empty", "", ratio(chat.raw, empty.raw), ratio(chat.served, empty.served), ratio(chat.brotli, empty.brotli)],
      ],
      MARKDOWN,
    ),
    `target: chat ≤ ${FIRST_LOAD_TARGET.toFixed(2)}× empty (gzip as served; served encoding: ${chat.encoding}): ${verdict}`,
    "",
    renderTable(
      ["all JS Chromium fetched until network idle", "files", "raw bytes", "transferred bytes"],
      [
        ["empty App Router page", String(emptyLoaded.count), bytes(emptyLoaded.raw), bytes(emptyLoaded.transferred)],
        ["chat route", String(chatLoaded.count), bytes(chatLoaded.raw), bytes(chatLoaded.transferred)],
        ["chat ÷ empty", "", ratio(chatLoaded.raw, emptyLoaded.raw), ratio(chatLoaded.transferred, emptyLoaded.transferred)],
      ],
      MARKDOWN,
    ),
  ].join("\n");
}

function lighthouseTable(pages: { name: string; series: LighthouseSeries }[]): string {
  const rows = pages.map(({ name, series }) => [
    name,
    String(series.median.score),
    series.runs.map((run) => run.score).join(", "),
    ...METRICS.map(({ id }) => format(series.median.metrics[id], id)),
  ]);
  const verdicts = pages.map(({ name, series }) => `${name} ${series.median.score >= SCORE_TARGET ? "met" : "NOT met"}`).join(", ");
  return `${renderTable(["Lighthouse (mobile), medians", "score", "runs", ...METRICS.map(({ label }) => label)], rows, MARKDOWN)}\ntarget: score ≥ ${SCORE_TARGET}: ${verdicts}`;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, "dist", "server.js")) || !existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("bench:pages measures the production build: run `npm run build` first (dist/server.js and .next are missing)");
  }
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  const cpus = os.cpus();
  log(`machine: ${cpus.length} × ${cpus[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);

  log("building the empty App Router page (same next, react and next.config.js)…");
  const emptyDir = buildEmptyApp(ROOT);

  // test/support/server.ts picks the bundle at import time.
  process.env.PARLEY_TEST_SERVER = "bundle";
  const { startServer } = await import("@/test/support/server");
  const parley = await startServer({ env: { RATE_LIMIT_PER_SECOND: "10000", AUTH_ATTEMPTS_PER_MINUTE: "1000" } });
  const empty = await startEmptyApp(ROOT, emptyDir);
  try {
    const { conversationId, cookie } = await seedConversation(parley.url);
    log(`seeded: 2 users, 1 group, ${MESSAGES} messages`);
    const chatUrl = `${parley.url}/chat/${conversationId}`;

    const emptyJs = await measureFirstLoadJs(`${empty.url}/`);
    const chatJs = await measureFirstLoadJs(chatUrl, cookie);
    const emptyLoaded = await measureLoadedJs(`${empty.url}/`, CHROMIUM, CHROMIUM_FLAGS);
    const chatLoaded = await measureLoadedJs(chatUrl, CHROMIUM, CHROMIUM_FLAGS, cookie);
    log("");
    log(firstLoadTable(emptyJs, chatJs, emptyLoaded, chatLoaded));
    if (values.details) {
      log("\nchat route first-load scripts (gzip bytes as served):");
      for (const script of [...chatJs.scripts].sort((a, b) => b.served - a.served)) log(`  ${bytes(script.served).padStart(9)}  ${script.path}`);
    }

    if (!values["no-lighthouse"]) {
      log(`\nLighthouse, ${RUNS} runs per page:`);
      const browser = await launchChromium(CHROMIUM, CHROMIUM_FLAGS);
      try {
        const signIn = await runLighthouse(browser, `${parley.url}/sign-in`, { runs: RUNS, name: "sign-in", saveDir: values.save, log });
        const chat = await runLighthouse(browser, chatUrl, { runs: RUNS, cookie, name: "chat", saveDir: values.save, log });
        log("");
        log(lighthouseTable([{ name: "/sign-in", series: signIn }, { name: "/chat/[conversationId]", series: chat }]));
        if (values.details) {
          for (const [name, series] of [["sign-in", signIn], ["chat", chat]] as const) {
            log(`\n${name}, median run:`);
            for (const line of diagnosticsOf(series.medianReport)) log(`  ${line}`);
          }
        }
      } finally {
        await browser.close();
      }
    }
  } finally {
    await empty.stop();
    await parley.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
