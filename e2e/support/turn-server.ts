/**
 * A real TURN server for the relay-only tests: Debian's coturn on loopback, in the foreground,
 * with TURN REST credentials (`use-auth-secret`), the scheme lib/realtime/server/calls/ice-config.ts
 * signs for. Relay addresses are 127.0.0.1 too, so coturn must be told to allow loopback peers
 * (it answers 403 Forbidden IP to CREATE_PERMISSION otherwise).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";

export const TURN_BINARY = "/usr/bin/turnserver";
const READY_TIMEOUT_MS = 10_000;

export type TurnServer = { url: string; secret: string; stop: () => Promise<void>; log: () => string };

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** `relayPorts`: a small range of its own, so parallel runs on other E2E ports never collide. */
export async function startTurnServer(options: { port: number; relayPorts: [number, number]; secret: string }): Promise<TurnServer> {
  if (!existsSync(TURN_BINARY)) throw new Error(`${TURN_BINARY} is missing: install Debian's coturn (npm test does it as root)`);
  const { port, relayPorts, secret } = options;
  let output = "";
  const child: ChildProcess = spawn(
    TURN_BINARY,
    [
      "-n", // no configuration file: everything is on this line
      `--listening-port=${port}`,
      "--listening-ip=127.0.0.1",
      "--relay-ip=127.0.0.1",
      `--min-port=${relayPorts[0]}`,
      `--max-port=${relayPorts[1]}`,
      "--use-auth-secret",
      `--static-auth-secret=${secret}`,
      "--realm=parley.test",
      "--fingerprint",
      "--no-tls",
      "--no-dtls",
      "--no-cli",
      "--no-multicast-peers",
      "--allow-loopback-peers",
      "--no-rfc5780",
      "--no-stun-backward-compatibility",
      "--no-software-attribute",
      "--log-file=stdout",
      "--simple-log",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 3_000);
    await exited;
    clearTimeout(killer);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null) throw new Error(`turnserver exited (${child.exitCode}): ${output.slice(-2_000)}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`turnserver not listening within ${READY_TIMEOUT_MS} ms: ${output.slice(-2_000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `turn:127.0.0.1:${port}?transport=udp`, secret, stop, log: () => output };
}
