// Slack payloads for the tests, built from the recorded-shape fixtures in
// tests/fixtures/slack/ with the ids, text and rooms a test needs.
import { readFileSync } from "node:fs";
import type { ApiCall } from "./fake-slack-api.ts";

export const fixture = (name: string): Record<string, any> =>
  JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}.json`, import.meta.url), "utf8")) as Record<string, any>;

/** A posted message as the fake recorded it (a chat.postMessage call, or an entry of `fake.messages`). */
export type MessageLike = ApiCall | { channel: string; ts: string; text?: string; blocks?: any[] };

export function messageParts(message: MessageLike): { channel: string; ts: string; text?: string; blocks?: any[] } {
  if ("method" in message) {
    return { channel: message.response.channel ?? message.args.channel, ts: message.response.ts, text: message.args.text, blocks: message.args.blocks };
  }
  return message;
}

/** The buttons of a message, each with the block it sits in. */
export function buttonElements(message: MessageLike): Record<string, any>[] {
  return (messageParts(message).blocks ?? []).flatMap((b: any) => (b.type === "actions" ? b.elements.map((e: any) => ({ ...e, block_id: b.block_id })) : []));
}

export function slashCommand(p: { user: string; userName: string; channel: string; channelName: string; text: string; trigger: string; responseUrl: string }): Record<string, string> {
  return { ...fixture("slash-command"), user_id: p.user, user_name: p.userName, channel_id: p.channel, channel_name: p.channelName, text: p.text, trigger_id: p.trigger, response_url: p.responseUrl };
}

export function blockActions(p: {
  user: string;
  userName: string;
  message: MessageLike;
  channelName: string;
  button: Record<string, any>;
  trigger: string;
  responseUrl: string;
  ephemeral?: boolean;
  actionTs: string;
}): Record<string, any> {
  const base = fixture("block-actions");
  const { channel, ts, text, blocks } = messageParts(p.message);
  return {
    ...base,
    user: { ...base.user, id: p.user, username: p.userName, name: p.userName },
    container: { type: "message", message_ts: ts, channel_id: channel, is_ephemeral: Boolean(p.ephemeral) },
    channel: { id: channel, name: p.channelName },
    message: { ...base.message, ts, text, blocks },
    trigger_id: p.trigger,
    response_url: p.responseUrl,
    actions: [{ ...p.button, action_ts: p.actionTs }],
  };
}

/** An event_callback around an app_mention (`text` is what follows `@coopbot`). */
export function appMention(p: { user: string; channel: string; text: string; botUserId: string; ts: string; eventId: string; thread?: string }): Record<string, any> {
  const base = fixture("app-mention");
  const event = { ...base.event, user: p.user, channel: p.channel, text: `<@${p.botUserId}> ${p.text}`, ts: p.ts, event_ts: p.ts, ...(p.thread ? { thread_ts: p.thread } : {}) };
  return { ...base, event, event_id: p.eventId };
}

/** An event_callback around a message.im in the member's DM with the bot. */
export function directMessage(p: { user: string; channel: string; text: string; ts: string; eventId: string }): Record<string, any> {
  const base = fixture("message-im");
  return { ...base, event: { ...base.event, user: p.user, channel: p.channel, text: p.text, ts: p.ts, event_ts: p.ts }, event_id: p.eventId };
}
