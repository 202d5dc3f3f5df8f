/**
 * Lighthouse's performance category for `npm run bench:pages`: the default (mobile) config, i.e.
 * a Moto G Power-sized viewport, simulated slow 4G and a 4× CPU slowdown, run several times in
 * one Chromium; medians per figure. Lighthouse 12 because 13 needs Node 22.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { launch, type LaunchedChrome } from "chrome-launcher";
import lighthouse, { type Result } from "lighthouse";

export const METRICS = [
  { id: "first-contentful-paint", label: "FCP (ms)" },
  { id: "largest-contentful-paint", label: "LCP (ms)" },
  { id: "total-blocking-time", label: "TBT (ms)" },
  { id: "cumulative-layout-shift", label: "CLS" },
  { id: "speed-index", label: "SI (ms)" },
] as const;

export type LighthouseFigures = { score: number; metrics: Record<(typeof METRICS)[number]["id"], number> };
export type LighthouseSeries = { runs: LighthouseFigures[]; median: LighthouseFigures; medianReport: Result };

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function figuresOf(report: Result): LighthouseFigures {
  const score = report.categories.performance?.score;
  if (typeof score !== "number") throw new Error(`Lighthouse gave no performance score for ${report.finalDisplayedUrl}: ${report.runtimeError?.message ?? "unknown error"}`);
  const metrics = Object.fromEntries(METRICS.map(({ id }) => [id, report.audits[id]?.numericValue ?? Number.NaN])) as LighthouseFigures["metrics"];
  return { score: Math.round(score * 100), metrics };
}

export type LighthouseBrowser = { port: number; close: () => Promise<void> };

export async function launchChromium(chromePath: string, flags: string[]): Promise<LighthouseBrowser> {
  const chrome: LaunchedChrome = await launch({ chromePath, chromeFlags: flags, logLevel: "silent" });
  return { port: chrome.port, close: async () => chrome.kill() };
}

/**
 * `runs` Lighthouse runs of one URL; `cookie` is sent with every request (the session). The run
 * whose score is the median is kept whole (`medianReport`) for its diagnostics, and written to
 * `saveDir` when given.
 */
export async function runLighthouse(
  browser: LighthouseBrowser,
  url: string,
  options: { runs: number; cookie?: string; saveDir?: string; name: string; log: (line: string) => void },
): Promise<LighthouseSeries> {
  const reports: Result[] = [];
  for (let run = 1; run <= options.runs; run += 1) {
    const result = await lighthouse(url, {
      port: browser.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance"],
      ...(options.cookie ? { extraHeaders: { Cookie: options.cookie } } : {}),
    });
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    if (result.lhr.finalDisplayedUrl !== url) throw new Error(`Lighthouse ended on ${result.lhr.finalDisplayedUrl}, not ${url} (redirected: signed out?)`);
    const figures = figuresOf(result.lhr);
    options.log(`  ${options.name} run ${run}: score ${figures.score}, ${METRICS.map(({ id, label }) => `${label.split(" ")[0]} ${format(figures.metrics[id], id)}`).join(", ")}`);
    reports.push(result.lhr);
  }
  const runs = reports.map(figuresOf);
  const medianFigures: LighthouseFigures = {
    score: median(runs.map((run) => run.score)),
    metrics: Object.fromEntries(METRICS.map(({ id }) => [id, median(runs.map((run) => run.metrics[id]))])) as LighthouseFigures["metrics"],
  };
  const byScore = reports.map((report, index) => ({ report, score: runs[index]!.score })).sort((a, b) => a.score - b.score);
  const medianReport = byScore[Math.floor((byScore.length - 1) / 2)]!.report;
  if (options.saveDir) {
    mkdirSync(options.saveDir, { recursive: true });
    writeFileSync(path.join(options.saveDir, `${options.name}.json`), JSON.stringify(medianReport));
  }
  return { runs, median: medianFigures, medianReport };
}

export function format(value: number, id: string): string {
  if (!Number.isFinite(value)) return "n/a";
  return id === "cumulative-layout-shift" ? value.toFixed(3) : Math.round(value).toLocaleString("en-US");
}

/** The median run's pointers to causes: LCP element, main-thread time by kind, JS execution by script. */
export function diagnosticsOf(report: Result): string[] {
  const lines: string[] = [];
  const lcpItems = (report.audits["largest-contentful-paint-element"]?.details as { items?: { items?: { node?: { snippet?: string } }[] }[] } | undefined)?.items;
  const lcpNode = lcpItems?.[0]?.items?.[0]?.node?.snippet;
  if (lcpNode) lines.push(`LCP element: ${lcpNode.slice(0, 160)}`);
  const table = (id: string, key: string, value: string, count = 5) => {
    const items = (report.audits[id]?.details as { items?: Record<string, unknown>[] } | undefined)?.items ?? [];
    return items
      .slice(0, count)
      .map((item) => `${String(item[key]).replace(/^https?:\/\/[^/]+/, "")} ${Math.round(Number(item[value]))} ms`)
      .join("; ");
  };
  const bootup = table("bootup-time", "url", "total");
  if (bootup) lines.push(`JS execution (bootup-time, total): ${bootup}`);
  const mainThread = table("mainthread-work-breakdown", "groupLabel", "duration");
  if (mainThread) lines.push(`main thread: ${mainThread}`);
  const blocking = table("render-blocking-resources", "url", "wastedMs");
  if (blocking) lines.push(`render-blocking: ${blocking}`);
  return lines;
}
