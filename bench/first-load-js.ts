/**
 * First-load JavaScript of a page, for `npm run bench:pages`: the scripts the server-rendered HTML
 * makes the browser fetch before it can hydrate (`<script src>` without `nomodule`, plus
 * `<link rel="preload" as="script">`), fetched the way a browser asks for them. Sizes: decoded
 * bytes, bytes on the wire as served (Next compresses with gzip), and brotli (quality 11) computed
 * here for what a CDN in front would send.
 */
import { request } from "node:http";
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, inflateSync } from "node:zlib";

import { chromium } from "@playwright/test";

export type ScriptSize = { path: string; raw: number; served: number; brotli: number };
export type FirstLoadJs = { scripts: ScriptSize[]; raw: number; served: number; brotli: number; encoding: string };

const SCRIPT_TAG = /<script\b[^>]*>/gi;
const PRELOAD_TAG = /<link\b[^>]*\brel="preload"[^>]*>/gi;
const ATTRIBUTES = { src: /\bsrc="([^"]*)"/i, href: /\bhref="([^"]*)"/i, as: /\bas="([^"]*)"/i };
const attribute = (tag: string, name: keyof typeof ATTRIBUTES): string | null => ATTRIBUTES[name].exec(tag)?.[1] ?? null;

/** Script URLs the HTML loads before hydration, in document order, without duplicates. */
export function scriptUrlsOf(html: string): string[] {
  const urls = new Set<string>();
  for (const [tag] of html.matchAll(SCRIPT_TAG)) {
    // Modern browsers skip nomodule scripts (Next's legacy polyfills).
    if (/\bnomodule\b/i.test(tag)) continue;
    const src = attribute(tag, "src");
    if (src) urls.add(src);
  }
  for (const [tag] of html.matchAll(PRELOAD_TAG)) {
    const href = attribute(tag, "href");
    if (attribute(tag, "as") === "script" && href) urls.add(href);
  }
  return [...urls];
}

/** One script as a browser gets it: node:http does not decode, so the body is the bytes on the wire. */
function sizeOf(url: string, cookie: string | undefined): Promise<ScriptSize & { encoding: string }> {
  return new Promise((resolve, reject) => {
    const headers = { "accept-encoding": "gzip, deflate, br", ...(cookie ? { cookie } : {}) };
    const req = request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        if (response.statusCode !== 200) return reject(new Error(`${url}: ${response.statusCode}`));
        const wire = Buffer.concat(chunks);
        const encoding = response.headers["content-encoding"] ?? "identity";
        const decoded = encoding === "gzip" ? gunzipSync(wire) : encoding === "br" ? brotliDecompressSync(wire) : encoding === "deflate" ? inflateSync(wire) : wire;
        const brotli = brotliCompressSync(decoded, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
        resolve({ path: new URL(url).pathname, raw: decoded.length, served: wire.length, brotli, encoding });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

/** Fetches the page's HTML (with the session cookie, if any) and sizes every first-load script. */
export async function measureFirstLoadJs(pageUrl: string, cookie?: string): Promise<FirstLoadJs> {
  const response = await fetch(pageUrl, { redirect: "manual", headers: cookie ? { cookie } : {} });
  if (response.status !== 200) throw new Error(`${pageUrl}: expected 200, got ${response.status} (signed out?)`);
  const html = await response.text();
  const urls = scriptUrlsOf(html).map((src) => new URL(src, pageUrl).href);
  if (urls.length === 0) throw new Error(`${pageUrl}: no scripts found in the HTML`);
  const scripts = await Promise.all(urls.map((url) => sizeOf(url, cookie)));
  const sum = (key: "raw" | "served" | "brotli") => scripts.reduce((total, script) => total + script[key], 0);
  const encodings = [...new Set(scripts.map((script) => script.encoding))].join(", ");
  return { scripts, raw: sum("raw"), served: sum("served"), brotli: sum("brotli"), encoding: encodings };
}

export type LoadedJs = { count: number; raw: number; transferred: number };

/**
 * Cross-check in Chromium: every script response until the network is idle, so that code split
 * off the first load but fetched right after hydration anyway still shows up here.
 */
export async function measureLoadedJs(pageUrl: string, chromiumPath: string, args: string[], cookie?: string): Promise<LoadedJs> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args });
  try {
    const context = await browser.newContext();
    if (cookie) {
      const { hostname } = new URL(pageUrl);
      await context.addCookies(
        cookie.split("; ").map((pair) => {
          const index = pair.indexOf("=");
          return { name: pair.slice(0, index), value: pair.slice(index + 1), domain: hostname, path: "/" };
        }),
      );
    }
    const page = await context.newPage();
    const responses: Promise<{ raw: number; transferred: number }>[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() !== "script") return;
      responses.push(
        Promise.all([response.body(), response.request().sizes()]).then(([body, sizes]) => ({ raw: body.length, transferred: sizes.responseBodySize })),
      );
    });
    await page.goto(pageUrl, { waitUntil: "networkidle" });
    const sizes = await Promise.all(responses);
    return {
      count: sizes.length,
      raw: sizes.reduce((total, size) => total + size.raw, 0),
      transferred: sizes.reduce((total, size) => total + size.transferred, 0),
    };
  } finally {
    await browser.close();
  }
}
