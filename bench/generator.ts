/**
 * The load generator's client: raw Engine.IO v4 / Socket.IO v5 frames over one `ws` WebSocket per
 * socket, no socket.io-client (no Manager, reconnection, buffering or per-packet emitter work), so
 * the generator stays cheaper than the servers it measures. Deliveries are recognised by their
 * event-name prefix and correlated by the `clientMessageId` found with `indexOf`, never by parsing
 * the whole message.
 *
 * Frames (text only): `0{…}` open → we send `40{auth}`; `40{…}` connected; `44{…}` refused;
 * `2` ping → `3` pong; `42[…]` event; `43<id>[…]` ack of our `42<id>[…]`.
 */
import WebSocket from "ws";

const CONNECT_TIMEOUT_MS = 15_000;
const CLIENT_MESSAGE_ID = '"clientMessageId":"';

export type DeliveryListener = (clientMessageId: string) => void;

/** `43<id>[…]`: hands the ack's array text to the callback waiting for that id. */
export function settleAck(acks: Map<number, (payload: string) => void>, text: string): void {
  const bracket = text.indexOf("[");
  const id = Number(text.slice(2, bracket));
  const callback = acks.get(id);
  if (callback) {
    acks.delete(id);
    callback(text.slice(bracket));
  }
}

export class RawSocket {
  private readonly ws: WebSocket;
  private nextAckId = 0;
  private readonly acks = new Map<number, (payload: string) => void>();
  private readonly ready: Promise<void>;
  onDelivery: DeliveryListener | null = null;

  constructor(baseUrl: string, auth: Record<string, unknown>) {
    const url = `${baseUrl.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`;
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error("no session:ready within 15 s"));
        this.close();
      }, CONNECT_TIMEOUT_MS);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      this.ws.on("error", fail);
      this.ws.on("close", () => fail(new Error("closed before session:ready")));
      this.ws.on("message", (data: WebSocket.RawData, isBinary: boolean) => {
        if (isBinary) return;
        const text = data.toString();
        const type = text.charCodeAt(0);
        if (type === 50 /* "2" ping */) this.ws.send("3");
        else if (type === 48 /* "0" open */) this.ws.send(`40${JSON.stringify(auth)}`);
        else if (type === 52 /* "4" message */) {
          const packet = text.charCodeAt(1);
          if (packet === 50 /* "2" event */) {
            if (text.startsWith('42["chat:message-created"')) {
              const at = text.indexOf(CLIENT_MESSAGE_ID);
              if (at !== -1 && this.onDelivery) {
                const start = at + CLIENT_MESSAGE_ID.length;
                this.onDelivery(text.slice(start, text.indexOf('"', start)));
              }
            } else if (text.startsWith('42["session:ready"')) {
              clearTimeout(timer);
              resolve();
            }
          } else if (packet === 51 /* "3" ack */) settleAck(this.acks, text);
          else if (packet === 52 /* "4" connect error */) fail(new Error(`refused: ${text.slice(2)}`));
        }
      });
    });
  }

  /** Resolves at `session:ready` (rooms joined), rejects on refusal, close or timeout. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  emit(event: string, data: unknown): void {
    this.ws.send(`42${JSON.stringify([event, data])}`);
  }

  /** Emits with an ack id; `onAck` receives the raw ack array text (e.g. `[{"ok":true,…}]`). */
  emitWithAck(event: string, data: unknown, onAck: (payload: string) => void): void {
    const id = this.nextAckId++;
    this.acks.set(id, onAck);
    this.ws.send(`42${id}${JSON.stringify([event, data])}`);
  }

  request<T>(event: string, data: unknown, timeoutMs = 30_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${event}: no ack within ${timeoutMs} ms`)), timeoutMs);
      this.emitWithAck(event, data, (payload) => {
        clearTimeout(timer);
        const [result] = JSON.parse(payload) as [{ ok: boolean; data?: T; error?: unknown }];
        if (result.ok) resolve(result.data as T);
        else reject(new Error(`${event} failed: ${JSON.stringify(result.error)}`));
      });
    });
  }

  get pendingAcks(): number {
    return this.acks.size;
  }

  close(): void {
    this.ws.removeAllListeners("close");
    this.ws.on("error", () => undefined);
    this.ws.terminate();
  }
}

/**
 * Opens `count` sockets with at most `concurrency` handshakes in flight; resolves with the sockets
 * that reached `session:ready` (also by index, null where it failed), the number that failed (first
 * error kept) and the elapsed time.
 */
export async function connectMany(
  count: number,
  concurrency: number,
  open: (index: number) => RawSocket,
): Promise<{ sockets: RawSocket[]; byIndex: (RawSocket | null)[]; failed: number; firstError: string | null; ms: number }> {
  const sockets: RawSocket[] = [];
  const byIndex: (RawSocket | null)[] = new Array<RawSocket | null>(count).fill(null);
  let failed = 0;
  let firstError: string | null = null;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const socket = open(index);
      try {
        await socket.whenReady();
        sockets.push(socket);
        byIndex[index] = socket;
      } catch (error) {
        failed += 1;
        firstError ??= (error as Error).message;
        socket.close();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { sockets, byIndex, failed, firstError, ms: performance.now() - started };
}
