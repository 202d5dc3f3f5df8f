/** The printed result of `npm run bench`: one row per figure, bare | parley | ratio, plus raw rounds. */
import { mean } from "./stats";

export type RoundFigures = {
  connections: number;
  idleFailed: number;
  memoryPerConnectionKiB: number;
  handshakesPerSecond: number;
  sentPerSecond: number;
  deliveredPerSecond: number;
  deliveriesPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  cpuPerMessageUs: number;
  lost: number;
  duplicated: number;
  failedSends: number;
  generatorCpuPercent: number;
};

type Row = { label: string; key: keyof RoundFigures; digits: number; sum?: boolean };

export const ROWS: Row[] = [
  { label: "connections held (peak)", key: "connections", digits: 0 },
  { label: "idle handshakes failed", key: "idleFailed", digits: 0, sum: true },
  { label: "memory per idle connection (KiB RSS)", key: "memoryPerConnectionKiB", digits: 1 },
  { label: "handshakes per second", key: "handshakesPerSecond", digits: 0 },
  { label: "messages/s sent", key: "sentPerSecond", digits: 0 },
  { label: "messages/s delivered (to whole room)", key: "deliveredPerSecond", digits: 0 },
  { label: "deliveries/s (per recipient)", key: "deliveriesPerSecond", digits: 0 },
  { label: "send→deliver p50 (ms)", key: "p50", digits: 1 },
  { label: "send→deliver p95 (ms)", key: "p95", digits: 1 },
  { label: "send→deliver p99 (ms)", key: "p99", digits: 1 },
  { label: "server CPU per delivered message (µs)", key: "cpuPerMessageUs", digits: 0 },
  { label: "lost deliveries", key: "lost", digits: 0, sum: true },
  { label: "duplicated deliveries", key: "duplicated", digits: 0, sum: true },
  { label: "failed or unacked sends", key: "failedSends", digits: 0, sum: true },
  { label: "generator CPU (% of one core)", key: "generatorCpuPercent", digits: 0 },
];

const format = (value: number, digits: number): string =>
  Number.isFinite(value) ? value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "n/a";

function aggregate(rounds: RoundFigures[], row: Row): number {
  const values = rounds.map((round) => round[row.key]);
  return row.sum ? values.reduce((sum, value) => sum + value, 0) : mean(values);
}

/** Columns padded for the terminal (first left-aligned, the rest right-aligned), or a markdown table. */
export function renderTable(header: string[], rows: string[][], markdown = false): string {
  if (markdown) return [header, header.map(() => "---"), ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((cells) => cells[column]!.length)));
  return [header, ...rows].map((cells) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ")).join("\n");
}

/** Averages (sums for counts) over the rounds, and Parley ÷ bare. */
export function summaryTable(bare: RoundFigures[], parley: RoundFigures[], markdown = false): string {
  const rows = ROWS.map((row) => {
    const b = aggregate(bare, row);
    const p = aggregate(parley, row);
    const ratio = b === 0 ? (p === 0 ? "–" : "∞") : format(p / b, 2);
    return [row.label, format(b, row.digits), format(p, row.digits), ratio];
  });
  return renderTable(["figure", "bare", "parley", "parley ÷ bare"], rows, markdown);
}

export function roundsTable(bare: RoundFigures[], parley: RoundFigures[], markdown = false): string {
  const header = ["figure", ...bare.flatMap((_, index) => [`bare ${index + 1}`, `parley ${index + 1}`])];
  const rows = ROWS.map((row) => [row.label, ...bare.flatMap((round, index) => [format(round[row.key], row.digits), format(parley[index]?.[row.key] ?? Number.NaN, row.digits)])]);
  return renderTable(header, rows, markdown);
}
