// Flags for the node process that runs the server (`npm run up`, `npm start`, tests, benchmarks).
// A 32 MB young generation (Node's default is 16 MB): at 2,000 msgs/s the objects that live a few
// hundred milliseconds (a notification burst's messages, kept broadcasts, queries in flight) were
// promoted and their mark-compacts set the tail (steady-state p99 ~30 ms at 16 MB, ~18 ms at 32,
// ~16 ms at 64); a larger young generation stays committed after a burst of connects, and at 64 MB
// that was 19–26 KiB of RSS per idle socket against bare Socket.IO's 14.7 (17.6 at 32 MB, 15.2 at
// 16). docs/PERFORMANCE.md has the figures.
// package.json's "start" script repeats them (it cannot import this file).
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=32"];
