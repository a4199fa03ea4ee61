// A local stand-in for Slack's Socket Mode WebSocket: says hello, sends
// envelopes, and resolves each once Bolt acks its envelope_id.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";

export type EnvelopeType = "slash_commands" | "interactive" | "events_api";

export interface Ack {
  envelope_id: string;
  payload?: unknown;
}

export class FakeSocketMode {
  readonly acks: Ack[] = [];
  private readonly waiting = new Map<string, { resolve: (ack: Ack) => void; reject: (err: Error) => void }>();
  private readonly server: WebSocketServer;
  private client: WebSocket | undefined;
  private connected: Promise<void>;
  private onConnect: () => void = () => undefined;
  connections = 0;

  private constructor(server: WebSocketServer) {
    this.server = server;
    this.connected = new Promise((resolve) => (this.onConnect = resolve));
    server.on("connection", (socket) => {
      this.connections += 1;
      this.client = socket;
      socket.on("message", (data) => this.receive(String(data)));
      // An envelope in flight on a connection that closed will never be acked on it.
      socket.on("close", () => {
        for (const [id, waiter] of this.waiting) waiter.reject(new Error(`the connection closed before envelope ${id} was acked`));
        this.waiting.clear();
      });
      socket.send(JSON.stringify({ type: "hello", num_connections: 1, debug_info: { host: "fake-socket-mode", approximate_connection_time: 18060 }, connection_info: { app_id: "A0COOPBOT" } }));
      this.onConnect();
    });
  }

  static async start(): Promise<FakeSocketMode> {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    return new FakeSocketMode(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/link/?ticket=fake`;
  }

  /** Resolves once a client has connected and been greeted. */
  whenConnected(): Promise<void> {
    return this.connected;
  }

  /** Resolves once more than `count` connections have been made in all (a restarted bot reconnecting). */
  async whenConnections(count: number, timeoutMs = 20_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.connections <= count || this.client?.readyState !== WebSocket.OPEN) {
      if (performance.now() > deadline) throw new Error(`no Socket Mode connection number ${count + 1} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Sends one envelope; resolves with Bolt's ack (rejects if none comes in time). */
  send(type: EnvelopeType, payload: unknown, extra: { retry_attempt?: number; retry_reason?: string; timeoutMs?: number } = {}): Promise<Ack> {
    if (!this.client || this.client.readyState !== WebSocket.OPEN) return Promise.reject(new Error("no Socket Mode client is connected"));
    const envelope_id = randomUUID();
    const { timeoutMs = 3000, ...retry } = extra;
    const acked = new Promise<Ack>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`envelope ${envelope_id} (${type}) was not acked within ${timeoutMs} ms`)), timeoutMs);
      const settle = () => clearTimeout(timer);
      this.waiting.set(envelope_id, {
        resolve: (ack) => (settle(), resolve(ack)),
        reject: (err) => (settle(), reject(err)),
      });
    });
    this.client.send(JSON.stringify({ envelope_id, type, payload, accepts_response_payload: type !== "events_api", ...retry }));
    return acked;
  }

  /** Sends an envelope exactly as given (malformed ones too); resolves with the ack of its envelope_id, if one comes. */
  sendRaw(envelope: Record<string, unknown>, timeoutMs = 3000): Promise<Ack | undefined> {
    if (!this.client || this.client.readyState !== WebSocket.OPEN) return Promise.reject(new Error("no Socket Mode client is connected"));
    const id = typeof envelope.envelope_id === "string" ? envelope.envelope_id : undefined;
    const acked = new Promise<Ack | undefined>((resolve, reject) => {
      if (!id) return setTimeout(() => resolve(undefined), 50);
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      this.waiting.set(id, { resolve: (ack) => (clearTimeout(timer), resolve(ack)), reject: (err) => (clearTimeout(timer), reject(err)) });
    });
    this.client.send(JSON.stringify(envelope));
    return acked;
  }

  private receive(text: string): void {
    const message = JSON.parse(text) as Ack;
    if (!message.envelope_id) return;
    this.acks.push(message);
    this.waiting.get(message.envelope_id)?.resolve(message);
    this.waiting.delete(message.envelope_id);
  }

  /** Cuts every client off, as Slack does when it recycles a connection. */
  dropConnections(): void {
    for (const socket of this.server.clients) socket.terminate();
  }

  async close(): Promise<void> {
    for (const socket of this.server.clients) socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
