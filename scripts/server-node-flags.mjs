// Flags for the node process that runs the server (`npm run up`, `npm start`, tests, benchmarks).
// A 64 MB young generation: the chat hot path allocates a lot of short-lived objects (frames,
// DTOs, promises); with Node's default (16 MB) they were promoted and collected by long
// mark-compact pauses, which set the tail latency under load (docs/PERFORMANCE.md).
// package.json's "start" script repeats them (it cannot import this file).
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=64"];
