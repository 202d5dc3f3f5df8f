/**
 * XSS: a corpus of classic payloads (e2e/support/xss-corpus.ts) as message bodies, display names,
 * group names, custom status texts and file names, seen by another person in Chromium. Everything
 * must stay text: no dialog, no script run (`window.__xss` is a trap), no element injected, not even
 * for an instant (a MutationObserver from before the first byte of every page reports any element
 * with an `on*` attribute, a `data-xss` marker, a script/iframe/object, a `javascript:`/`data:` URL,
 * and every request to an `xss-probe-…` URL is counted), and every payload is still shown as text,
 * so a place that silently drops content fails too.
 *
 * At least one of each kind goes through the real UI (Alice registers with a payload name through
 * the form, sends a body and a file through the composer, sets a custom status in the account
 * menu, renames a group in its details panel); the rest goes through the same socket events and
 * upload route the app uses, with each person's own session.
 */
import { randomUUID } from "node:crypto";

import type { APIRequestContext, BrowserContext, Locator, Page } from "@playwright/test";

import type { Ack, AttachmentDto, ClientToServerEvents, ConversationDto, MessageDto } from "../lib/realtime/protocol";
import { GROUP_NAME_MAX_LENGTH, PRESENCE_TEXT_MAX_LENGTH } from "../lib/realtime/protocol";
import { sanitizeFileName } from "../lib/validations/attachments";
import { registerInputSchema } from "../lib/validations/auth";
import { samplePng } from "../test/support/sample-files";
import { signInViaApi } from "./support/api";
import { expect, openConversation, send, test, type Participant } from "./support/chat-fixtures";
import { socketFor } from "./support/realtime";
import { collapseWhitespace, fitTo, unsafeMarkup, XSS_CORPUS, type XssPayload } from "./support/xss-corpus";

const NAME_MAX_LENGTH = registerInputSchema.shape.name.maxLength ?? 60;
const STATUS_EMOJI = "💬";

type TestSocket = Awaited<ReturnType<typeof socketFor>>;

function payload(id: string): XssPayload {
  const found = XSS_CORPUS.find((entry) => entry.id === id);
  if (!found) throw new Error(`no payload ${id}`);
  return found;
}

// What goes through the real UI controls (the rest of each kind goes through the socket or upload route).
const UI_NAME = fitTo(payload("attr-break-script").text, NAME_MAX_LENGTH);
const UI_BODY = payload("img-onerror");
const UI_STATUS = fitTo(payload("svg-onload").text, PRESENCE_TEXT_MAX_LENGTH);
const UI_GROUP_NAME = fitTo(payload("iframe-srcdoc").text, GROUP_NAME_MAX_LENGTH);
const UI_FILE_NAME = `${payload("textarea-break").text}.txt`;
/** A query reflected from the URL into the search page. */
const SEARCH_REFLECTED = '"><img src=xss-probe-search onerror=alert(99) data-xss>';

/** The name another person sees for an uploaded file called `raw` (the server keeps a display-safe name). */
function shownFileName(raw: string): string {
  return sanitizeFileName(raw);
}

/** A request over a real socket; a rate-limited one waits as long as the server says and goes again. */
async function request<T>(socket: TestSocket, event: keyof ClientToServerEvents, input: unknown): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    const emitter = socket.timeout(10_000) as unknown as { emitWithAck: (name: string, body: unknown) => Promise<Ack<T>> };
    const result = await emitter.emitWithAck(event, input);
    if (result.ok) return result.data;
    if (result.error.code === "RATE_LIMITED" && attempt < 30) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(50, result.error.retryAfterMs ?? 200)));
      continue;
    }
    throw new Error(`${event}: ${result.error.code} ${result.error.message}`);
  }
}

function sendMessage(socket: TestSocket, conversationId: string, body: string, attachmentIds?: string[]): Promise<MessageDto> {
  return request<MessageDto>(socket, "chat:send", { conversationId, clientMessageId: randomUUID(), body, ...(attachmentIds ? { attachmentIds } : {}) });
}

async function mapLimit<T, R>(items: readonly T[], limit: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await run(items[index]!, index);
    }
  });
  await Promise.all(workers);
  return results;
}

// ── Traps ─────────────────────────────────────────────────────────────────────

type Watch = { traces: Set<string>; toasts: string[]; titles: Set<string>; dialogs: string[]; requests: string[]; popups: string[] };

/**
 * Runs in every frame before any of the page's own scripts. Reports (through `__xssReport`) any
 * assignment to `window.__xss`, every element that could only come from injected markup (checked
 * as it is added or changed, so one removed again right after still counts), each toast's text and
 * each document title. `__xssSweep()` runs the same element checks over the current document.
 */
function installTraps(): void {
  type TrapWindow = Window & { __xssReport?: (kind: string, detail: string) => Promise<void>; __xssSweep?: () => string[] };
  const trapWindow = window as TrapWindow;
  const report = (kind: string, detail: string) => {
    void trapWindow.__xssReport?.(kind, detail.slice(0, 300)).catch(() => {});
  };
  let flag: unknown;
  Object.defineProperty(window, "__xss", {
    configurable: false,
    get: () => flag,
    set: (value: unknown) => {
      flag = value;
      report("window.__xss assigned", String(value));
    },
  });

  const SCRIPT_URL = /^\s*(?:javascript|vbscript|data):/i;
  const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "codebase", "srcset"]);
  const FOREIGN_TAGS = new Set(["IFRAME", "FRAME", "FRAMESET", "OBJECT", "EMBED", "APPLET", "BASE", "MARQUEE", "XSS", "MGLYPH"]);
  const HEAD_ONLY_TAGS = new Set(["META", "LINK", "STYLE", "TITLE"]);
  // An inline script with a payload's code in it, other than Next.js's flight data (which may quote
  // user content as a JSON string: were that not escaped, the script would end early and the rest
  // would become a script of its own, caught here).
  const PAYLOAD_SCRIPT = /__xss|xss-probe|alert\(/;
  const NEXT_FLIGHT = /^\s*\(?self\.__next_f/;

  const describe = (element: Element) => element.outerHTML.slice(0, 160);
  const problemsOf = (element: Element): string[] => {
    const problems: string[] = [];
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value;
      if (name.startsWith("on")) problems.push(`event handler attribute ${name}: ${describe(element)}`);
      if (name === "data-xss" || name === "srcdoc") problems.push(`marker attribute ${name}: ${describe(element)}`);
      if (URL_ATTRIBUTES.has(name) && (SCRIPT_URL.test(value) || value.includes("xss-probe"))) problems.push(`hostile URL in ${name}: ${describe(element)}`);
      if (name === "style" && /expression\s*\(|javascript:|url\s*\(/i.test(value)) problems.push(`hostile style: ${describe(element)}`);
    }
    const tag = element.tagName.toUpperCase();
    if (FOREIGN_TAGS.has(tag)) problems.push(`injected element: ${describe(element)}`);
    if (HEAD_ONLY_TAGS.has(tag) && !element.closest("head")) problems.push(`head element in the body: ${describe(element)}`);
    if (tag === "SCRIPT") {
      const src = element.getAttribute("src");
      const text = element.textContent ?? "";
      const isForeign = src !== null ? new URL(src, location.href).origin !== location.origin || !new URL(src, location.href).pathname.startsWith("/_next/") : PAYLOAD_SCRIPT.test(text) && !NEXT_FLIGHT.test(text);
      if (isForeign) {
        problems.push(`foreign script: ${describe(element)}`);
      }
    }
    return problems;
  };
  const subtreeOf = (element: Element): Element[] => [element, ...Array.from(element.querySelectorAll("*"))];

  trapWindow.__xssSweep = () => Array.from(document.querySelectorAll("*")).flatMap(problemsOf);

  let title = "";
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "attributes" && record.target instanceof Element) {
        for (const problem of problemsOf(record.target)) report("trace", problem);
        continue;
      }
      for (const node of Array.from(record.addedNodes)) {
        if (!(node instanceof Element)) continue;
        for (const element of subtreeOf(node)) {
          for (const problem of problemsOf(element)) report("trace", problem);
          if (element.hasAttribute("data-sonner-toast")) report("toast", element.textContent ?? "");
        }
      }
    }
    if (document.title !== title) {
      title = document.title;
      report("title", title);
    }
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
}

async function watch(context: BrowserContext, origin: string): Promise<Watch> {
  const seen: Watch = { traces: new Set(), toasts: [], titles: new Set(), dialogs: [], requests: [], popups: [] };
  await context.exposeFunction("__xssReport", (kind: string, detail: string) => {
    if (kind === "toast") seen.toasts.push(detail);
    else if (kind === "title") seen.titles.add(detail);
    else seen.traces.add(`${kind}: ${detail}`);
  });
  await context.addInitScript(installTraps);
  const onDialog = (page: Page) =>
    page.on("dialog", (dialog) => {
      seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss().catch(() => {});
    });
  context.pages().forEach(onDialog);
  context.on("page", (page) => {
    onDialog(page);
    // A page opened by another one: window.open, a link with a target.
    void page.opener().then((opener) => {
      if (opener) seen.popups.push(page.url());
    });
  });
  context.on("request", (sent) => {
    const url = sent.url();
    // The page's own URL may quote a payload (a search); only a fetched resource named like a probe counts.
    const isProbe = url.startsWith(origin) && new URL(url).pathname.includes("xss-probe");
    if (isProbe || !(url.startsWith(origin) || url.startsWith("blob:"))) seen.requests.push(url);
  });
  return seen;
}

/** Counts of what was checked, printed at the end. */
const figures: { place: string; kind: string; count: number }[] = [];

/** Nothing ran, nothing was injected, on this page so far; and the current document is clean. */
async function expectInert(page: Page, seen: Watch, place: string): Promise<void> {
  const sweep = await page.evaluate(() => (window as Window & { __xssSweep?: () => string[] }).__xssSweep?.() ?? ["traps missing"]);
  const flag = await page.evaluate(() => (window as Window & { __xss?: unknown }).__xss);
  expect(sweep, `${place}: the document holds no injected element`).toEqual([]);
  expect(flag, `${place}: window.__xss stayed unset`).toBeUndefined();
  expect([...seen.traces], `${place}: nothing injected or run since the page loaded`).toEqual([]);
  expect(seen.dialogs, `${place}: no dialog`).toEqual([]);
  expect(seen.requests, `${place}: no request to a probe or another origin`).toEqual([]);
  expect(seen.popups, `${place}: no window opened`).toEqual([]);
}

async function missingText(scope: Locator, expected: readonly string[]): Promise<string[]> {
  const text = collapseWhitespace((await scope.evaluate((element) => element.textContent ?? "").catch(() => "")) as string);
  return expected.filter((entry) => !text.includes(collapseWhitespace(entry)));
}

/** Every expected text is shown (as text) inside `scope`: content was rendered, not dropped. */
async function expectShown(scope: Locator, expected: readonly string[], place: string, kind: string): Promise<void> {
  await expect(scope).toBeVisible();
  await expect.poll(() => missingText(scope, expected), { message: `${place}: ${kind} shown as text`, timeout: 15_000 }).toEqual([]);
  figures.push({ place, kind, count: expected.length });
}

// ── People ────────────────────────────────────────────────────────────────────

type Person = {
  payload: XssPayload;
  id: string;
  name: string;
  status: string;
  groupName: string;
  group: ConversationDto;
  direct: ConversationDto;
  request: APIRequestContext;
  socket: TestSocket;
};

/**
 * One account per payload: named with it (cut to the name's limit), its custom status set to it,
 * a group named with it that Bob is added to, and a direct message to Bob with it as the body.
 */
async function payloadPerson(api: APIRequestContext, origin: string, entry: XssPayload, bobId: string, sockets: TestSocket[]): Promise<Person> {
  const user = { name: fitTo(entry.text, NAME_MAX_LENGTH), email: `xss-${randomUUID().slice(0, 8)}@example.test`, password: `pw-${randomUUID()}` };
  const response = await api.post("/api/register", { data: user });
  if (response.status() !== 201) throw new Error(`register ${entry.id}: ${response.status()} ${await response.text()}`);
  const { user: created } = (await response.json()) as { user: { id: string; name: string } };
  expect(created.name, `the name of ${entry.id} is stored as given`).toBe(user.name);
  await signInViaApi(api, user);
  const socket = await socketFor(api, origin);
  sockets.push(socket);
  const status = fitTo(entry.text, PRESENCE_TEXT_MAX_LENGTH);
  await request(socket, "presence:set-status", { status: "auto", customEmoji: STATUS_EMOJI, customText: status });
  const groupName = fitTo(entry.text, GROUP_NAME_MAX_LENGTH);
  const group = await request<ConversationDto>(socket, "conversation:create-group", { name: groupName, memberIds: [bobId] });
  const direct = await request<ConversationDto>(socket, "conversation:open-direct", { userId: bobId });
  await sendMessage(socket, direct.id, entry.text);
  return { payload: entry, id: created.id, name: user.name, status, groupName, group, direct, request: api, socket };
}

/** A few files are pictures (shown inline, the name as alt text); the rest download cards. */
function isPicture(index: number): boolean {
  return index % 4 === 0;
}

function rawFileName(entry: XssPayload, index: number): string {
  return `${entry.text}${isPicture(index) ? ".png" : ".txt"}`;
}

async function upload(api: APIRequestContext, conversationId: string, name: string, picture: boolean): Promise<AttachmentDto> {
  const file = picture
    ? { name, mimeType: "image/png", buffer: Buffer.from(samplePng(24, 16)) }
    : { name, mimeType: "text/plain", buffer: Buffer.from("plain text\n") };
  // An idle keep-alive connection the server has just closed can reset the first request on it: once more then.
  const post = () => api.post(`/api/conversations/${conversationId}/attachments`, { multipart: { file } });
  const response = await post().catch((error: unknown) => {
    if (error instanceof Error && error.message.includes("ECONNRESET")) return post();
    throw error;
  });
  if (response.status() !== 201) throw new Error(`upload ${name.slice(0, 40)}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as AttachmentDto;
}

// ── Bob's pages ───────────────────────────────────────────────────────────────

function conversationList(page: Page): Locator {
  return page.getByRole("navigation", { name: "Conversations" });
}

async function openApp(page: Page): Promise<void> {
  await page.goto("/");
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
}

/**
 * Opens a conversation from the list (a client-side navigation) and waits, frame by frame, until its
 * header shows `title` (and `subtitle`, when given) as text.
 */
async function openFromList(page: Page, conversationId: string, title: string, subtitle = ""): Promise<void> {
  await conversationList(page).locator(`[data-conversation-id="${conversationId}"]`).click();
  await page.waitForFunction(
    ([wantTitle, wantSubtitle]) => {
      const main = document.querySelector("main");
      const heading = main?.querySelector("h1")?.textContent;
      const sub = main?.querySelector('[data-testid="conversation-subtitle"]')?.textContent ?? "";
      return heading === wantTitle && sub.includes(wantSubtitle);
    },
    [title, subtitle] as const,
    { polling: "raf", timeout: 10_000 },
  );
}

/** What a message row shows, for matching author, body and attachments of one message together. */
type ShownMessage = { author: string; body: string; files: string; alts: string[] };

async function shownMessages(page: Page): Promise<ShownMessage[]> {
  return page.getByTestId("chat-message").evaluateAll((articles) =>
    articles
      .filter((article) => article.getAttribute("data-kind") !== "system")
      .map((article) => ({
        author: article.querySelector("header span")?.textContent ?? "",
        body: article.querySelector(".break-words")?.textContent ?? "",
        files: article.querySelector('ul[aria-label="Attachments"]')?.textContent ?? "",
        alts: Array.from(article.querySelectorAll('ul[aria-label="Attachments"] img')).map((image) => image.getAttribute("alt") ?? ""),
      })),
  );
}

/**
 * A tab title made only by the app: unread counts ("(3) ", see use-unread-title.ts) before a page's
 * own title ("Chat · Parley"), or nothing yet.
 */
function isAppTitle(title: string): boolean {
  const bare = title.replace(/\(\d+\+?\)/g, "").trim();
  const parts = bare.split(" · ");
  if (bare === "" || bare === "Parley") return true;
  return parts.length === 2 && parts[1] === "Parley" && /^[A-Z][A-Za-z ]*$/.test(parts[0]!);
}

// ── The test ──────────────────────────────────────────────────────────────────

test.describe("[SECURITY]: an XSS corpus renders inert in Chromium", () => {
  test("control: each payload, were it rendered as markup, would be caught", async ({ browser }) => {
    // A page of its own on a made-up origin, served by the test (nothing leaves the machine).
    const controlOrigin = "http://xss-control.test";
    const context = await browser.newContext();
    try {
      await context.route(`${controlOrigin}/**`, (route) =>
        route.request().url() === `${controlOrigin}/`
          ? route.fulfill({ contentType: "text/html", body: "<!doctype html><html><head><title>control</title></head><body></body></html>" })
          : route.fulfill({ status: 404, body: "" }),
      );
      const seen = await watch(context, controlOrigin);
      const page = await context.newPage();
      await page.goto(`${controlOrigin}/`);
      const missed: string[] = [];
      let caught = 0;
      for (const entry of XSS_CORPUS) {
        const markup = unsafeMarkup(entry);
        if (markup === null) continue;
        seen.traces.clear();
        seen.dialogs.length = 0;
        seen.requests.length = 0;
        await page.evaluate((html) => {
          document.body.replaceChildren();
          const box = document.createElement("div");
          // eslint-disable-next-line no-unsanitized/property -- the control injects the corpus on purpose, in a page of its own
          box.innerHTML = html;
          document.body.append(box);
        }, markup);
        const tripped = async () => seen.traces.size + seen.dialogs.length + seen.requests.length > 0;
        await expect.poll(tripped, { timeout: 3_000 }).toBe(true).catch(() => missed.push(entry.id));
        if (await tripped()) caught += 1;
      }
      expect(missed, "payloads that would slip past the traps").toEqual([]);
      const templateOnly = XSS_CORPUS.filter((entry) => unsafeMarkup(entry) === null).length;
      console.info(`XSS control: ${caught} of ${XSS_CORPUS.length} payloads caught when injected as markup (${templateOnly} only a template engine would run)`);
    } finally {
      await context.close();
    }
  });

  test("bodies, names, group names, status texts and file names stay text for the person who sees them", async ({ browser, baseURL, join, openDirect, playwright }) => {
    test.setTimeout(120_000);
    const origin = baseURL!;
    const started = Date.now();
    const corpus = XSS_CORPUS;
    const requests: APIRequestContext[] = [];
    const sockets: TestSocket[] = [];
    let people: Promise<Person[]> | null = null;

    const bob = await join("Bob");
    const bobSeen = await watch(bob.context, origin);
    const aliceContext = await browser.newContext({ baseURL: origin });
    try {
      await openApp(bob.page);

      // The accounts take a while (two password hashes each): made while Alice uses the UI. Bob has
      // the app open, so each group and message raises a toast on his side.
      people = mapLimit(corpus, 6, async (entry) => {
        const api = await playwright.request.newContext({ baseURL: origin });
        requests.push(api);
        return payloadPerson(api, origin, entry, bob.id, sockets);
      });
      people.catch(() => {});

      const aliceSeen = await watch(aliceContext, origin);
      const alicePage = await aliceContext.newPage();
      await test.step("Alice registers through the form with a payload as her name", async () => {
        await alicePage.goto("/register");
        await alicePage.getByLabel("Name").fill(UI_NAME);
        await alicePage.getByLabel("Email").fill(`xss-alice-${randomUUID().slice(0, 8)}@example.test`);
        await alicePage.getByLabel(/^Password/).fill(`pw-${randomUUID()}`);
        await alicePage.getByRole("button", { name: "Create account" }).click();
        await expect(alicePage.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
      });
      const aliceSocket = await socketFor(aliceContext.request, origin);
      sockets.push(aliceSocket);
      const aliceId = (await request<{ id: string }>(aliceSocket, "session:whoami", {})).id;
      const alice: Participant = { user: { name: UI_NAME, email: "", password: "" }, context: aliceContext, page: alicePage, id: aliceId };
      const aliceDirect = await openDirect(alice, bob);
      const toRename = await request<ConversationDto>(aliceSocket, "conversation:create-group", { name: "Renamed in the UI", memberIds: [bob.id] });

      await test.step("Alice uses the real controls: the composer (a body, a file), her custom status, a rename", async () => {
        await openConversation(alicePage, aliceDirect.id);
        await send(alicePage, UI_BODY.text);
        await expect(alicePage.locator('[data-pending="true"]')).toHaveCount(0);

        await alicePage.locator('input[type="file"]').setInputFiles({ name: UI_FILE_NAME, mimeType: "text/plain", buffer: Buffer.from("from the composer\n") });
        await alicePage.getByRole("textbox", { name: "Message" }).fill("file from the composer");
        await expect(alicePage.getByRole("button", { name: "Send" })).toBeEnabled();
        await alicePage.getByRole("button", { name: "Send" }).click();
        await expect(alicePage.getByTestId("chat-message").filter({ hasText: "file from the composer" })).toContainText(shownFileName(UI_FILE_NAME));

        await alicePage.getByRole("button", { name: "Account menu" }).click();
        await alicePage.getByRole("menu", { name: "Account" }).getByRole("menuitem", { name: "Set a custom status" }).click();
        const dialog = alicePage.getByRole("dialog", { name: "Set a custom status" });
        await dialog.getByRole("group", { name: "Quick emoji" }).getByRole("button", { name: "🌴" }).click();
        await dialog.getByLabel("Status text").fill(UI_STATUS);
        await dialog.getByRole("button", { name: "Save" }).click();
        await expect(dialog).toBeHidden();

        await openConversation(alicePage, toRename.id);
        await alicePage.getByRole("button", { name: "Conversation details" }).click();
        const details = alicePage.getByTestId("group-details");
        await details.getByRole("button", { name: "Rename" }).click();
        await details.getByLabel("Group name").fill(UI_GROUP_NAME);
        await details.getByRole("button", { name: "Save" }).click();
        await expect(details.getByTestId("group-title")).toHaveText(UI_GROUP_NAME);
        await expectInert(alicePage, aliceSeen, "Alice's own pages");
      });

      const everyone = await test.step("one account per payload: its name, status and group named with it, a message to Bob", () => people!);

      const { namesGroup, files } = await test.step("in a group of them all, each sends the payload as a body with a file named with it", async () => {
        const group = await request<ConversationDto>(aliceSocket, "conversation:create-group", {
          name: "XSS people",
          memberIds: [bob.id, ...everyone.map((person) => person.id)],
        });
        const aliceSends = (async () => {
          for (const entry of corpus) {
            if (entry !== UI_BODY) await sendMessage(aliceSocket, aliceDirect.id, entry.text);
          }
        })();
        const uploaded = await mapLimit(everyone, 6, async (person, index) => {
          const raw = rawFileName(person.payload, index);
          const attachment = await upload(person.request, group.id, raw, isPicture(index));
          expect(attachment.fileName, `the stored name of ${raw.slice(0, 40)}`).toBe(shownFileName(raw));
          await sendMessage(person.socket, group.id, person.payload.text, [attachment.id]);
          return { person, attachment };
        });
        await aliceSends;
        return { namesGroup: group, files: uploaded };
      });

      const groupNames = [...everyone.map((person) => person.groupName), UI_GROUP_NAME];
      const personNames = everyone.map((person) => person.name);
      const addedTexts = everyone.map((person) => `${person.name} added you to ${person.groupName}`);
      const messageTexts = everyone.map((person) => `${person.name}: ${collapseWhitespace(person.payload.text).slice(0, 40)}`);

      await test.step("Bob, live: every toast (added to a group, a message) shows its text", async () => {
        await expect
          .poll(() => [...addedTexts, ...messageTexts].filter((text) => !bobSeen.toasts.some((toast) => collapseWhitespace(toast).includes(collapseWhitespace(text)))), {
            message: "every group and message raised a toast showing its text",
            timeout: 15_000,
          })
          .toEqual([]);
        figures.push({ place: "toasts", kind: "group names", count: addedTexts.length }, { place: "toasts", kind: "names + bodies", count: messageTexts.length });
        await expectInert(bob.page, bobSeen, "Bob's app while everything arrived");
      });

      await test.step("Bob's conversation list: group names, names, previews, status labels", async () => {
        await openApp(bob.page);
        const list = conversationList(bob.page);
        await expectShown(list, groupNames, "conversation list", "group names");
        await expectShown(list, [UI_NAME, ...personNames], "conversation list", "names");
        await expectShown(list, everyone.map((person) => collapseWhitespace(person.payload.text).slice(0, 60)), "conversation list", "body previews");
        const expectedLabels = everyone.map((person) => `Status: ${STATUS_EMOJI} ${person.status}`);
        await expect
          .poll(async () => {
            const labels = await list.locator('[role="img"][aria-label^="Status: "]').evaluateAll((elements) => elements.map((element) => element.getAttribute("aria-label") ?? ""));
            return expectedLabels.filter((label) => !labels.includes(label));
          }, { message: "every custom status is in its conversation's status label" })
          .toEqual([]);
        figures.push({ place: "conversation list", kind: "status labels", count: expectedLabels.length });
        await expectInert(bob.page, bobSeen, "conversation list");
      });

      await test.step("Bob's notification panel", async () => {
        await bob.page.getByTestId("notification-bell").click();
        const panel = bob.page.getByRole("dialog", { name: "Notifications" });
        const more = panel.getByRole("button", { name: "Load more" });
        for (let page = 0; page < 10 && (await more.isVisible()); page += 1) {
          const count = await panel.getByTestId("notification-item").count();
          await more.click();
          await expect.poll(() => panel.getByTestId("notification-item").count()).toBeGreaterThan(count);
        }
        await expectShown(panel, addedTexts, "notification panel", "group names");
        await expectShown(panel, messageTexts, "notification panel", "names + bodies");
        await expectInert(bob.page, bobSeen, "notification panel");
        await bob.page.keyboard.press("Escape");
      });

      await test.step("Bob's search: results show bodies as text; a payload in the URL's query stays a value", async () => {
        await bob.page.goto(`/search?q=${encodeURIComponent("onerror")}`);
        const results = bob.page.getByTestId("search-result");
        await expect(results.first()).toContainText("onerror");
        figures.push({ place: "search results", kind: "bodies", count: await results.count() });
        await expectInert(bob.page, bobSeen, "search results");

        await bob.page.goto(`/search?q=${encodeURIComponent(SEARCH_REFLECTED)}`);
        await expect(bob.page.getByRole("searchbox").or(bob.page.getByRole("textbox")).first()).toHaveValue(SEARCH_REFLECTED);
        figures.push({ place: "search page", kind: "reflected query", count: 1 });
        await expectInert(bob.page, bobSeen, "search page with a payload query");
      });

      await test.step("Bob in the group of them all: authors, bodies, files, typing, members with their status", async () => {
        await openConversation(bob.page, namesGroup.id);
        const expected = files.map(({ person, attachment }) => ({
          id: person.payload.id,
          author: collapseWhitespace(person.name),
          body: collapseWhitespace(person.payload.shown ?? person.payload.text),
          file: attachment.fileName,
          isPicture: attachment.contentType.startsWith("image/"),
        }));
        await expect
          .poll(async () => {
            const shown = await shownMessages(bob.page);
            const matches = (want: (typeof expected)[number], row: ShownMessage) =>
              collapseWhitespace(row.author) === want.author &&
              collapseWhitespace(row.body).includes(want.body) &&
              (want.isPicture ? row.alts.includes(want.file) : collapseWhitespace(row.files).includes(collapseWhitespace(want.file)));
            return expected.filter((want) => !shown.some((row) => matches(want, row))).map((want) => want.id);
          }, { message: "each person's message shows their name, the body and the file name as text", timeout: 15_000 })
          .toEqual([]);
        figures.push(
          { place: "group messages", kind: "author names", count: expected.length },
          { place: "group messages", kind: "bodies", count: expected.length },
          { place: "group messages", kind: "file names", count: expected.length },
        );
        await expectInert(bob.page, bobSeen, "group messages");

        // Two at a time: "A and B are typing…".
        let typingNames = 0;
        for (let index = 0; index + 1 < everyone.length && index < 6; index += 2) {
          const pair = [everyone[index]!, everyone[index + 1]!];
          for (const person of pair) person.socket.emit("chat:typing", { conversationId: namesGroup.id, isTyping: true });
          await expect
            .poll(async () => {
              const text = collapseWhitespace((await bob.page.getByRole("status").allTextContents()).join(" "));
              return pair.filter((person) => !text.includes(collapseWhitespace(person.name))).map((person) => person.payload.id);
            }, { message: "the typing indicator shows both names as text" })
            .toEqual([]);
          for (const person of pair) person.socket.emit("chat:typing", { conversationId: namesGroup.id, isTyping: false });
          typingNames += pair.length;
        }
        figures.push({ place: "typing indicator", kind: "names", count: typingNames });
        await expectInert(bob.page, bobSeen, "typing indicator");

        await bob.page.getByRole("button", { name: "Conversation details" }).click();
        const members = bob.page.getByRole("list", { name: "Members" });
        await expectShown(members, [UI_NAME, ...personNames], "group members", "names");
        await expectShown(members, everyone.map((person) => `${STATUS_EMOJI} ${person.status}`), "group members", "status texts");
        await expectInert(bob.page, bobSeen, "group details");
      });

      await test.step("Bob in the direct chat with Alice: every body, the composer's file, her name and status", async () => {
        await openConversation(bob.page, aliceDirect.id);
        const log = bob.page.getByRole("log");
        await expectShown(log, corpus.map((entry) => entry.shown ?? entry.text), "direct messages", "bodies");
        await expectShown(log, [shownFileName(UI_FILE_NAME)], "direct messages", "file names");
        await expect(bob.page.getByRole("main").getByRole("heading", { level: 1 })).toHaveText(UI_NAME);
        await expect(bob.page.getByTestId("conversation-subtitle")).toContainText(`🌴 ${UI_STATUS}`);
        await expectInert(bob.page, bobSeen, "direct messages");
      });

      await test.step("Bob opens every conversation: each header shows the name (and status) or group name", async () => {
        for (const person of everyone) await openFromList(bob.page, person.direct.id, person.name, `${STATUS_EMOJI} ${person.status}`);
        for (const person of everyone) await openFromList(bob.page, person.group.id, person.groupName);
        await openFromList(bob.page, toRename.id, UI_GROUP_NAME);
        await expect(bob.page.getByRole("log")).toContainText(`renamed the group to "${UI_GROUP_NAME}"`);
        figures.push(
          { place: "conversation header", kind: "names", count: everyone.length + 1 },
          { place: "conversation header", kind: "status texts", count: everyone.length + 1 },
          { place: "conversation header", kind: "group names", count: groupNames.length },
          { place: "system line", kind: "group names", count: 1 },
        );
        await expectInert(bob.page, bobSeen, "conversation headers");
      });

      await test.step("the tab title never carried user content", async () => {
        const titles = [...bobSeen.titles];
        expect(titles.length).toBeGreaterThan(0);
        expect(titles.filter((title) => !isAppTitle(title)), "titles are the app's own").toEqual([]);
        figures.push({ place: "tab title", kind: "titles seen", count: titles.length });
      });

      await expectInert(bob.page, bobSeen, "the end");
      // The traps are live on Bob's real page: an element injected and removed at once is still reported.
      await bob.page.evaluate(() => {
        const probe = document.createElement("span");
        probe.setAttribute("data-xss", "self-test");
        document.querySelector("main")?.append(probe);
        probe.remove();
      });
      await expect.poll(() => [...bobSeen.traces].some((trace) => trace.includes("self-test")), { message: "the traps report on Bob's page" }).toBe(true);
      await expectInert(alicePage, aliceSeen, "Alice at the end");
      const total = figures.filter((figure) => figure.place !== "tab title").reduce((sum, figure) => sum + figure.count, 0);
      console.info(`XSS corpus: ${corpus.length} payloads; ${figures.length} (place × kind) checks; ${total} renderings shown as text and inert; ${Math.round((Date.now() - started) / 1000)} s`);
      for (const figure of figures) console.info(`  ${figure.place.padEnd(20)} ${figure.kind.padEnd(16)} ${figure.count}`);
      console.info(`  dialogs 0, window.__xss unset, injected elements 0, probe requests 0, popups 0 (toasts seen ${bobSeen.toasts.length}, titles ${bobSeen.titles.size})`);
    } finally {
      await people?.catch(() => []);
      for (const socket of sockets) socket.disconnect();
      await Promise.all(requests.map((api) => api.dispose()));
      await aliceContext.close();
    }
  });
});
