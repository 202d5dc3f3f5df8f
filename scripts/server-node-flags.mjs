// Flags for the node process that runs the server (`npm run up`, `npm start`, tests, benchmarks).
// A 32 MB young generation (Node's default is 16 MB): at 2,000 msgs/s the objects that live a few
// hundred milliseconds (a notification burst's messages, kept broadcasts, queries in flight) were
// promoted and their mark-compacts set the tail (steady-state p99 ~30 ms at 16 MB, ~18 ms at 32,
// ~16 ms at 64); a larger young generation stays committed after a burst of connects, and at 64 MB
// that was 19–26 KiB of RSS per idle socket against bare Socket.IO's 14.7 (17.6 at 32 MB, 15.2 at
// 16).
// A 256 MB first limit for the old generation (V8 starts far lower and raises it after each full
// collection): the recovery buffer keeps every broadcast for 30 s, so under load the old generation
// grows for the whole window, and with the small first limits V8 ran a mark-compact every 1–2 s
// while it grew, 7–17 ms each with every send waiting (p99 from the first message ~25 ms; 12 ms
// with this flag, against bare Socket.IO's 6). The cost is garbage left in the old generation until
// it reaches 256 MB or the server goes quiet (V8's memory reducer collects then): 1 KiB more RSS per
// idle socket (18.0 against 17.0). docs/PERFORMANCE.md has the figures.
// package.json's "start" script repeats them (it cannot import this file; a unit test checks they agree).
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=32", "--initial-old-space-size=256"];
