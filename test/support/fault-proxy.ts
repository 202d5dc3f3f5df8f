/**
 * A small TCP fault proxy (the toxiproxy job; toxiproxy is not packaged here) in front of one
 * server port: every byte between clients and the server goes through it, and a test can drop
 * every open connection, stall all traffic (bytes are held, then delivered in order), or add
 * latency to every chunk. Test-only.
 */
import net from "node:net";

export type FaultProxy = {
  url: string;
  /** Closes every open connection at once (both sides see a reset). */
  dropAll(): void;
  /** Holds every byte, both ways, for `ms`, then delivers them in order. */
  stall(ms: number): Promise<void>;
  /** Delays every chunk by `ms` (0: off), keeping each direction's order. */
  setLatency(ms: number): void;
  connections(): number;
  close(): Promise<void>;
};

type Pipe = { from: net.Socket; to: net.Socket; held: Buffer[]; chain: Promise<void> };

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  let latencyMs = 0;
  let stalled = false;
  const pipes = new Set<Pipe>();
  const sockets = new Set<net.Socket>();

  const forward = (pipe: Pipe, chunk: Buffer) => {
    if (stalled) {
      pipe.held.push(chunk);
      return;
    }
    if (latencyMs === 0) {
      pipe.to.write(chunk);
      return;
    }
    const delay = latencyMs;
    pipe.chain = pipe.chain.then(() => new Promise<void>((resolve) => setTimeout(() => {
      if (!pipe.to.destroyed) pipe.to.write(chunk);
      resolve();
    }, delay)));
  };

  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
    }
    const up: Pipe = { from: client, to: upstream, held: [], chain: Promise.resolve() };
    const down: Pipe = { from: upstream, to: client, held: [], chain: Promise.resolve() };
    pipes.add(up).add(down);
    client.on("data", (chunk: Buffer) => forward(up, chunk));
    upstream.on("data", (chunk: Buffer) => forward(down, chunk));
    const end = () => {
      pipes.delete(up);
      pipes.delete(down);
      client.destroy();
      upstream.destroy();
    };
    client.once("close", end);
    upstream.once("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    dropAll: () => {
      for (const socket of sockets) socket.resetAndDestroy();
    },
    async stall(ms) {
      stalled = true;
      await new Promise((resolve) => setTimeout(resolve, ms));
      stalled = false;
      for (const pipe of pipes) {
        const held = pipe.held.splice(0);
        for (const chunk of held) forward(pipe, chunk);
      }
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    connections: () => sockets.size / 2,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
