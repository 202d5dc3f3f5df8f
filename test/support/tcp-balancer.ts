/**
 * The smallest load balancer that behaves like one for the scale-out tests: one loopback port in
 * front of several server processes; each new TCP connection goes to the next backend in turn,
 * skipping one that refuses (a killed process). WebSocket-only clients need no stickiness.
 * Test-only.
 */
import net from "node:net";

export type TcpBalancer = { url: string; close(): Promise<void>; connections: () => number };

export async function startTcpBalancer(backendPorts: readonly number[]): Promise<TcpBalancer> {
  let next = 0;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    open.add(client);
    client.once("close", () => open.delete(client));
    client.pause();
    const tryBackend = (attempt: number) => {
      if (attempt >= backendPorts.length) return client.destroy();
      const port = backendPorts[next++ % backendPorts.length] as number;
      const upstream = net.connect(port, "127.0.0.1");
      upstream.once("error", () => {
        upstream.destroy();
        tryBackend(attempt + 1);
      });
      upstream.once("connect", () => {
        upstream.removeAllListeners("error");
        open.add(upstream);
        upstream.once("close", () => open.delete(upstream));
        upstream.on("error", () => client.destroy());
        client.on("error", () => upstream.destroy());
        upstream.once("close", () => client.destroy());
        client.once("close", () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    };
    tryBackend(0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => open.size,
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
