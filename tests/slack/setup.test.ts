// Installing: `npm start -- --adapter slack` with a missing or wrong setting
// says exactly which variable to fix; Slack being down at start is not fatal.
import { afterEach, describe, expect, it } from "vitest";
import { AdapterSetupError, createServiceAdapter } from "../../adapters/index.ts";
import { SlackAdapter } from "../../adapters/slack/adapter.ts";
import { createSlackAdapter } from "../../adapters/slack/index.ts";
import { readSlackSettings } from "../../adapters/slack/settings.ts";
import type { CorePort } from "../../bot/adapter.ts";
import { buildConfig } from "../../bot/config.ts";
import { createLogger, silentLogger } from "../../bot/log.ts";
import { FakeSlackApi } from "./fake-slack-api.ts";
import { FakeSocketMode } from "./fake-socket-mode.ts";

const setup = (env: Record<string, string>) => ({ env, config: buildConfig({}, []), log: silentLogger, dataDir: "/tmp" });

describe("settings from the environment", () => {
  it("names SLACK_BOT_TOKEN when it is missing, and where to find it", async () => {
    await expect(createSlackAdapter(setup({ SLACK_APP_TOKEN: "xapp-1" }))).rejects.toThrow(
      new AdapterSetupError("SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) from your Slack app's OAuth & Permissions page"),
    );
  });

  it("is registered as the `slack` adapter, so `--adapter slack` gives the same message", async () => {
    await expect(createServiceAdapter("slack", setup({}))).rejects.toThrow(/^SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token/);
  });

  it("names SLACK_APP_TOKEN (Socket Mode) when neither it nor a signing secret is set", async () => {
    await expect(createSlackAdapter(setup({ SLACK_BOT_TOKEN: "xoxb-1" }))).rejects.toThrow(/^SLACK_APP_TOKEN is not set: create an App-Level Token with the connections:write scope/);
  });

  it("names SLACK_SIGNING_SECRET when HTTP mode is chosen without it", async () => {
    await expect(createSlackAdapter(setup({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_MODE: "http" }))).rejects.toThrow(
      "SLACK_SIGNING_SECRET is not set: copy the Signing Secret from your Slack app's Basic Information page",
    );
  });

  it("names SLACK_APP_TOKEN when Socket Mode is chosen without it, even with a signing secret", async () => {
    await expect(createSlackAdapter(setup({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", SLACK_MODE: "socket" }))).rejects.toThrow(/^SLACK_APP_TOKEN is not set/);
  });

  it("says which token was pasted into the wrong variable", () => {
    expect(() => readSlackSettings({ SLACK_BOT_TOKEN: "xapp-1-A0", SLACK_APP_TOKEN: "xoxb-2" })).toThrow(/^SLACK_BOT_TOKEN should start with "xoxb-" but starts with "xapp-"/);
    expect(() => readSlackSettings({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xoxb-2" })).toThrow(/^SLACK_APP_TOKEN should start with "xapp-"/);
  });

  it("refuses a bad SLACK_MODE, SLACK_PORT or SLACK_API_URL by name", () => {
    expect(() => readSlackSettings({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_MODE: "websocket" })).toThrow(/^SLACK_MODE must be "socket" or "http"/);
    expect(() => readSlackSettings({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", SLACK_PORT: "eighty" })).toThrow(/^SLACK_PORT must be a port number/);
    expect(() => readSlackSettings({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1", SLACK_API_URL: "slack" })).toThrow(/^SLACK_API_URL is not a URL/);
  });

  it("chooses Socket Mode when there is an app token, HTTP on port 3000 when there is only a signing secret", () => {
    expect(readSlackSettings({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1", SLACK_SIGNING_SECRET: "s" })).toEqual({ mode: "socket", botToken: "xoxb-1", appToken: "xapp-1", pacingMs: 1000 });
    expect(readSlackSettings({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" })).toEqual({ mode: "http", botToken: "xoxb-1", signingSecret: "s", port: 3000, pacingMs: 1000 });
    expect(readSlackSettings({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", SLACK_MODE: "HTTP", SLACK_PORT: "8080", SLACK_API_URL: "http://proxy:9/api" })).toEqual({
      mode: "http",
      botToken: "xoxb-1",
      signingSecret: "s",
      port: 8080,
      apiUrl: "http://proxy:9/api/",
      pacingMs: 1000,
    });
  });

  it("SLACK_PACING_MS sets the gap between posts to one channel, and says what it wants when it isn't milliseconds", () => {
    expect(readSlackSettings({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1", SLACK_PACING_MS: "20" }).pacingMs).toBe(20);
    expect(() => readSlackSettings({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1", SLACK_PACING_MS: "fast" })).toThrow(/^SLACK_PACING_MS must be milliseconds/);
  });

  it("builds a Slack adapter that declares buttons, ephemeral replies, edits, the /coop prefix and 1 s pacing", async () => {
    const adapter = await createSlackAdapter(setup({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }));
    expect(adapter).toMatchObject({ platform: "slack", capabilities: { buttons: true, ephemeral: true, edit: true }, commandPrefix: "/coop ", minIntervalMs: 1000 });
  });
});

describe("starting", () => {
  const core: CorePort = { receive: () => ({ outcome: "ok" }), receiveMany: (a) => a.map(() => ({ outcome: "ok" })), messageByRef: () => undefined, inbox: { accept: async () => undefined, done: () => undefined, leftovers: () => [] }, renamed: () => undefined };
  let fake: FakeSlackApi | undefined;
  let socket: FakeSocketMode | undefined;
  let adapter: SlackAdapter | undefined;
  afterEach(async () => {
    await adapter?.stop();
    await socket?.close();
    await fake?.close();
    adapter = socket = fake = undefined;
  });

  it("a bot token Slack refuses fails the start, naming SLACK_BOT_TOKEN", async () => {
    fake = await FakeSlackApi.start();
    fake.failNext("auth.test", "invalid_auth");
    adapter = new SlackAdapter({ settings: readSlackSettings({ SLACK_BOT_TOKEN: "xoxb-revoked", SLACK_APP_TOKEN: "xapp-1", SLACK_API_URL: fake.apiUrl }), log: silentLogger });

    await expect(adapter.start(core)).rejects.toThrow(/^Slack refused SLACK_BOT_TOKEN \(invalid_auth\): copy the Bot User OAuth Token/);
  });

  it("an app token Slack refuses fails the start, naming SLACK_APP_TOKEN", async () => {
    fake = await FakeSlackApi.start();
    fake.failNext("apps.connections.open", "invalid_auth");
    adapter = new SlackAdapter({ settings: readSlackSettings({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-revoked", SLACK_API_URL: fake.apiUrl }), log: silentLogger });

    await expect(adapter.start(core)).rejects.toThrow(/^Slack refused SLACK_APP_TOKEN \(invalid_auth\): create an App-Level Token/);
  });

  it("Slack unreachable at start: the bot starts anyway and connects when Slack is back", async () => {
    fake = await FakeSlackApi.start();
    socket = await FakeSocketMode.start();
    fake.socketUrl = socket.url;
    await fake.goOffline("503");
    adapter = new SlackAdapter({
      settings: readSlackSettings({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1", SLACK_API_URL: fake.apiUrl }),
      log: silentLogger,
      reconnectDelayMs: 20,
    });

    await adapter.start(core);
    expect(adapter.isConnected).toBe(false);

    await fake.comeBack();
    await socket.whenConnected();
    await expect.poll(() => adapter!.isConnected, { timeout: 3000, interval: 10 }).toBe(true);
  });
});

describe("staying connected", () => {
  const core: CorePort = { receive: () => ({ outcome: "ok" }), receiveMany: (a) => a.map(() => ({ outcome: "ok" })), messageByRef: () => undefined, inbox: { accept: async () => undefined, done: () => undefined, leftovers: () => [] }, renamed: () => undefined };
  let fake: FakeSlackApi;
  let socket: FakeSocketMode;
  let adapter: SlackAdapter;
  afterEach(async () => {
    await adapter.stop();
    await socket.close();
    await fake.close();
  });

  it("when the socket drops while Slack is unreachable, the adapter keeps trying (no crash) and reconnects when Slack is back", async () => {
    const logs: string[] = [];
    const log = createLogger({ level: "warn", destination: { write: (line: string) => void logs.push(JSON.parse(line).msg) } });
    fake = await FakeSlackApi.start();
    socket = await FakeSocketMode.start();
    fake.socketUrl = socket.url;
    adapter = new SlackAdapter({
      settings: readSlackSettings({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1", SLACK_API_URL: fake.apiUrl }),
      log,
      reconnectDelayMs: 20,
      socketPingTimeoutMs: 50,
    });
    await adapter.start(core);
    expect(socket.connections).toBe(1);

    await fake.goOffline("refuse");
    socket.dropConnections();
    // The SDK's own reconnect fails against the refused API; the adapter takes over.
    await expect.poll(() => logs.includes("Slack Socket Mode reconnect failed; trying again"), { timeout: 3000, interval: 10 }).toBe(true);

    await fake.comeBack();
    await expect.poll(() => socket.connections, { timeout: 3000, interval: 10 }).toBe(2);
  });
});
