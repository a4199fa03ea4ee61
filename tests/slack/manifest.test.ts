// The app manifest people install from declares what the adapter uses, no more.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { parse } from "yaml";

const manifest = parse(readFileSync(new URL("../../adapters/slack/manifest.yaml", import.meta.url), "utf8"));

it("declares /coop (with mentions escaped to ids), the DM tab, buttons, Socket Mode and the events the adapter listens to", () => {
  expect(manifest.features.slash_commands).toEqual([expect.objectContaining({ command: "/coop", should_escape: true })]);
  expect(manifest.features.app_home).toMatchObject({ messages_tab_enabled: true, messages_tab_read_only_enabled: false });
  expect(manifest.settings).toMatchObject({ interactivity: { is_enabled: true }, socket_mode_enabled: true });
  expect(manifest.settings.event_subscriptions.bot_events).toEqual(["app_mention", "message.im", "user_change"]);
});

it("documents the optional channel-message events for meeting notes, commented out", () => {
  const text = readFileSync(new URL("../../adapters/slack/manifest.yaml", import.meta.url), "utf8");
  expect(text).toMatch(/# - message\.channels\n\s*# - message\.groups/);
  expect(text).toContain("/coop #action @bea send the minutes");
});

it("asks for exactly the bot scopes behind the Web API methods the adapter calls", () => {
  const used = {
    commands: "/coop",
    "chat:write": "chat.postMessage, chat.postEphemeral, chat.update, chat.delete (own messages)",
    "files:write": "files.getUploadURLExternal, files.completeUploadExternal (files.uploadV2: charts, exports, meeting ics)",
    "app_mentions:read": "app_mention",
    "im:history": "message.im, conversations.history (DMs, after a crash)",
    "channels:history": "conversations.history / replies (public channels, after a crash)",
    "groups:history": "conversations.history / replies (private channels, after a crash)",
    "mpim:history": "conversations.history / replies (group DMs, after a crash)",
    "im:write": "conversations.open",
    "users:read": "users.info",
    "channels:read": "conversations.info (public)",
    "groups:read": "conversations.info (private)",
    "mpim:read": "conversations.info (group DMs)",
    "channels:manage": "conversations.invite / kick (public channels: membership follows a group)",
    "groups:write": "conversations.invite / kick (private channels)",
  };
  expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(Object.keys(used).sort());
});
