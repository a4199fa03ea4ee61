// What a handler (command, job or listener) is given. Every effect it asks
// for is written to the database in the handler's own transaction: outbox
// rows for messages, job rows for scheduled work.
import { createHash } from "node:crypto";
import type { Db } from "../db/connection.ts";
import { cancelJob, cancelJobsWithPrefix, insertJob, markJobSkipped, type JobRow, type NewJob } from "../db/jobs.ts";
import { ensureMember, findMembersByNameOn, findIdentity, getMember, identitiesOf, type Member } from "../db/members.ts";
import { enqueue, postsWithKey } from "../db/outbox.ts";
import { keepPages } from "../db/reply-pages.ts";
import type { Allow, AnyCommand } from "./command.ts";
import { CommandError } from "./command.ts";
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import { resolveMentions } from "./delivery.ts";
import type { DomainBus, DomainEventName, DomainEvents, MetricSpec } from "./domain.ts";
import type { InboundEvent, OutboundMessage, Platform, Target } from "./events.ts";
import type { Logger } from "./log.ts";
import { droppedNote, footer, MAX_PAGES, MAX_WHOLE_CHARS, paginate } from "./paging.ts";
import type { Permissions } from "./permissions.ts";
import type { PlatformInfo } from "./platforms.ts";
import type { RecentUse } from "./recent-use.ts";
import type { Registry } from "./registry.ts";

export interface Services {
  db: Db;
  clock: Clock;
  config: Config;
  log: Logger;
  registry: Registry;
  permissions: Permissions;
  bus: DomainBus;
  metrics: MetricSpec[];
  /** Each capability's part of merging two members into one (linked accounts). */
  memberMergers: ((ctx: BaseContext, from: number, into: number) => void)[];
  /** Each capability's part of forgetting a member (see Capability.forgetMember). */
  memberForgetters: ((ctx: BaseContext, memberId: number) => readonly string[] | void)[];
  /** Each capability's part of a member's own data (see Capability.exportMember). */
  memberExporters: ((ctx: BaseContext, memberId: number) => Record<string, unknown>)[];
  /** Each capability's say on whether an old post under a message key must stay (see Capability.keepsMessage). */
  messageKeepers: ((ctx: BaseContext, key: string) => boolean)[];
  /** Each capability's chance to report a message given up for good under one of its keys (see Capability.undeliverable). */
  undeliverableReporters: ((ctx: BaseContext, key: string, error: string) => boolean)[];
  /** Wakes the dispatcher after work committed outside the router (an HTTP route). */
  wake?: () => void;
  /**
   * Erased text must leave the file: empties the WAL (which still holds the
   * pages as they were) soon after the current transaction commits.
   */
  scrubWal?: () => void;
  /** The platforms the bot runs on, as their adapters describe themselves (bot/platforms.ts). */
  platforms?: () => readonly PlatformInfo[];
  /** The lease a new outbox row is born with, if this process will send it (see Dispatcher.leaseFor). */
  outboxLease?: (platform: Platform, now: number) => { owner: string; until: number } | undefined;
  /** The read-only commands members ran lately, which the ledger doesn't see (bot/recent-use.ts). */
  recentUse?: RecentUse;
  /** Sends a read-only command's answer without storing it (see bot/read-only.ts). */
  transient?: {
    canSend(platform: Platform): boolean;
    send(target: Target, message: OutboundMessage, channel: string): boolean;
  };
}

/** A read-only command's answer, sent once the handler is done. */
export interface TransientReply {
  target: Target;
  message: OutboundMessage;
  channel: string;
}

/**
 * Thrown when a command run as read-only asks for something that must be
 * stored (see bot/read-only.ts): it then runs again the ordinary way.
 */
export class NeedsWrite extends Error {
  constructor(what: string) {
    super(`a read-only run needs to write: ${what}`);
    this.name = "NeedsWrite";
  }
}

export type Message = OutboundMessage | string;

export interface Actor {
  memberId: number;
  displayName: string;
  platform: Platform;
  platformId: string;
}

const asMessage = (m: Message): OutboundMessage => (typeof m === "string" ? { text: m } : m);

export function channelOf(target: Target): string {
  if (target.kind === "member") return `${target.platform}:dm:${target.platformId}`;
  // A mailbox is a person's address: channels reach logs, addresses never do.
  if (target.platform === "email") return `email:room:${createHash("sha256").update(target.roomId.toLowerCase()).digest("hex").slice(0, 16)}`;
  return `${target.platform}:room:${target.roomId}`;
}

/** Effects shared by every kind of handler. */
export class BaseContext {
  readonly db: Db;
  readonly now: number;
  readonly config: Config;
  readonly log: Logger;

  /** Answers collected by a read-only run instead of outbox rows (see bot/read-only.ts). */
  readonly transientReplies: TransientReply[] | undefined;

  constructor(
    readonly services: Services,
    /** Where this work came from (`event:slack:Ev123`, `job:42`), stored on each message for tracing. */
    readonly source: string,
    /** The platform of the request that caused this work: private messages prefer it. */
    readonly originPlatform?: Platform,
    opts: { readOnly?: boolean } = {},
  ) {
    this.transientReplies = opts.readOnly ? [] : undefined;
    this.db = services.db;
    this.now = services.clock.now();
    this.config = services.config;
    this.log = services.log;
  }

  /** Refuse with a message the user can act on. Everything written so far is rolled back. */
  fail(message: string, opts: { showUsage?: boolean } = {}): never {
    throw new CommandError(message, opts.showUsage ?? false);
  }

  /**
   * One outbox row, in this transaction. Every kind of message goes through
   * here, so each is born held by this process's dispatcher when it will
   * send it, and carries where it came from.
   */
  protected queue(kind: "post" | "update" | "remove", target: Target, message: OutboundMessage, links: { msgKey?: string | null; updatesId?: number | null } = {}): number {
    if (this.transientReplies) return this.queueTransient(kind, target, message, links.msgKey);
    return enqueue(this.db, {
      lease: this.services.outboxLease?.(target.platform, this.now),
      kind,
      platform: target.platform,
      channel: channelOf(target),
      target,
      message,
      msgKey: links.msgKey ?? null,
      updatesId: links.updatesId ?? null,
      source: this.source,
      now: this.now,
      // Names as they are now: the dispatcher sends from memory without reading them back.
      mentions: resolveMentions(this.db, message.text, target.platform),
    });
  }

  /** A plain answer with nothing to find again later goes unstored; anything else needs the outbox. */
  private queueTransient(kind: string, target: Target, message: OutboundMessage, msgKey: string | null | undefined): number {
    if (kind !== "post" || msgKey || message.buttons?.length || message.removes) throw new NeedsWrite(`a ${kind} that must be stored`);
    this.transientReplies!.push({ target, message, channel: channelOf(target) });
    return -this.transientReplies!.length;
  }

  /** Everything stored in the command's transaction refuses a read-only run. */
  protected needsWrite(what: string): void {
    if (this.transientReplies) throw new NeedsWrite(what);
  }

  post(target: Target, message: Message): number {
    const msg = asMessage(message);
    return this.queue("post", target, msg, { msgKey: msg.key });
  }

  toRoom(room: { platform: Platform; id: string; thread?: string }, message: Message): number {
    return this.post({ kind: "room", platform: room.platform, roomId: room.id, thread: room.thread }, message);
  }

  /**
   * A private message, on the platform of the request that caused it when
   * the member is there, else their preferred platform, else the first
   * platform they were seen on.
   */
  toMember(memberId: number, message: Message): number | undefined {
    const ids = identitiesOf(this.db, memberId);
    const member = getMember(this.db, memberId);
    const pick =
      ids.find((i) => i.platform === this.originPlatform) ??
      ids.find((i) => i.platform === member?.preferredPlatform) ??
      ids[0];
    if (!pick) {
      this.log.warn({ memberId }, "private message to a member with no identity was dropped");
      return undefined;
    }
    return this.post({ kind: "member", platform: pick.platform as Platform, platformId: pick.platformId, memberId }, message);
  }

  /** Edits every message posted under `key` (e.g. to remove buttons once decided). */
  update(key: string, message: Message): number {
    const msg = { ...asMessage(message), key };
    const posts = postsWithKey(this.db, key);
    for (const post of posts) this.queue("update", JSON.parse(post.target) as Target, msg, { msgKey: key, updatesId: post.id });
    return posts.length;
  }

  /**
   * Edits one post we made (not a whole key's worth): used to take a
   * forgotten member's words out of a message that quoted them.
   */
  edit(post: { id: number; target: string; msgKey: string | null }, message: Message): number {
    return this.queue("update", JSON.parse(post.target) as Target, { ...asMessage(message), ...(post.msgKey ? { key: post.msgKey } : {}) }, { msgKey: post.msgKey, updatesId: post.id });
  }

  /** Schedules work; a second job with the same key is ignored (a restart or a redelivery never doubles it). */
  schedule(job: NewJob): boolean {
    this.needsWrite("a job");
    return insertJob(this.db, job, this.now);
  }

  cancelJob(key: string): boolean {
    this.needsWrite("a job");
    return cancelJob(this.db, key, this.now);
  }

  cancelJobs(prefix: string): number {
    this.needsWrite("a job");
    return cancelJobsWithPrefix(this.db, prefix, this.now);
  }

  /** Announces a domain fact; the capabilities that handle it act now, in this transaction. */
  emit<E extends DomainEventName>(name: E, payload: DomainEvents[E]): void {
    this.needsWrite("a domain event");
    this.services.bus.emit(this, name, payload);
  }

  member(id: number): Member {
    const member = getMember(this.db, id);
    if (!member) throw new Error(`member ${id} does not exist`);
    return member;
  }
}

export class CommandContext extends BaseContext {
  constructor(
    services: Services,
    readonly event: InboundEvent,
    readonly actor: Actor,
    readonly command?: AnyCommand,
    opts: { readOnly?: boolean } = {},
  ) {
    super(services, `event:${event.platform}:${event.eventId}`, event.platform, opts);
  }

  /**
   * Answers the person who asked. Private by default (ephemeral on Slack):
   * most answers are for the asker, and a room should not fill with them.
   * A long answer is paged (see firstPage). `whole`: the text is a page
   * already (`more`), or a file to save that cutting would break (an .ics):
   * sent as it is, up to one platform message's length.
   */
  reply(message: Message, opts: { public?: boolean; whole?: boolean } = {}): number {
    const target = this.replyTarget(opts.public ?? false);
    const msg = asMessage(message);
    return this.post(target, opts.whole && msg.text.length <= MAX_WHOLE_CHARS ? msg : this.firstPage(msg, target));
  }

  private replyTarget(isPublic: boolean): Target {
    const { event, actor } = this;
    if (event.room.kind === "dm" || isPublic) {
      return { kind: "room", platform: event.platform, roomId: event.room.id, thread: event.thread, replyHandle: event.replyHandle };
    }
    return { kind: "ephemeral", platform: event.platform, roomId: event.room.id, platformId: actor.platformId, memberId: actor.memberId, replyHandle: event.replyHandle };
  }

  /**
   * No answer is longer than a page (bot/paging.ts). The rule is here, not
   * in each command, so a list nobody expected to grow (a queue, a
   * directory, a trail) can't become a message of hundreds of KB: the first
   * page goes now, and the rest waits for `more` in place of the asker's
   * previous long answer. Buttons and a message key stay with the first page.
   */
  private firstPage(message: OutboundMessage, target: Target): OutboundMessage {
    const [first, ...rest] = paginate(message.text);
    if (rest.length === 0) return message;
    const kept = rest.slice(0, MAX_PAGES - 1);
    const dropped = rest.slice(kept.length);
    if (dropped.length > 0) kept[kept.length - 1] += `\n${droppedNote(dropped)}`;
    this.needsWrite("pages kept for `more`");
    keepPages(this.db, this.actor.memberId, target, kept, this.now);
    return { ...message, text: `${first}\n${footer(kept)}` };
  }

  /**
   * Takes the message that carried this command out of the room (e.g. a
   * clinic question typed in public), if the platform lets the bot. `note`
   * is what the room sees instead, if anything.
   */
  removeInbound(note: string): void {
    this.needsWrite("a removal");
    const { event } = this;
    if (event.room.kind === "dm" || !event.messageRef) return;
    const room = { kind: "room" as const, platform: event.platform, roomId: event.room.id };
    // An edit goes with the message it edits: both carry the text.
    if (event.edits) this.queue("remove", room, { text: "", removes: event.edits });
    this.queue("remove", room, { text: note, removes: event.messageRef });
  }

  can(allow: Allow, scope?: string): boolean {
    return this.services.permissions.allows(this.db, this.actor.memberId, allow, scope);
  }

  hasRole(role: string, scope?: string): boolean {
    return this.services.permissions.hasRole(this.db, this.actor.memberId, role, scope);
  }

  get isAdmin(): boolean {
    return this.hasRole("admin");
  }

  /**
   * The member an `@mention` (or a name) refers to, on the asker's platform
   * only:
   * - a mention the platform verified (a Slack `<@U…>`, a Matrix pill or user
   *   id) is that person, known to the bot or not yet (then they are added,
   *   with the name the platform gave);
   * - on the console, where there are no accounts, the typed name is the
   *   identity;
   * - otherwise a platform id or a display name among this platform's
   *   identities, refused when two people match.
   * `verified`: the command hands out or takes away power, so on Slack and
   * Matrix only a real mention will do (a display name can be copied).
   */
  resolveMember(ref: string, opts: { verified?: boolean } = {}): Member {
    const text = ref.trim();
    const bare = text.replace(/^@/, "");
    const { platform } = this.event;
    const mentioned = this.event.mentions?.find((m) => m.ref === text || m.platformId === bare);
    if (mentioned) return this.memberFor(mentioned.platformId, mentioned.displayName);
    if (platform === "console") {
      if (!/^[\w.-]{1,64}$/.test(bare)) return this.fail(`\`${text}\` isn't a console name (letters, digits, dots and dashes).`);
      return this.memberFor(bare, bare);
    }
    if (opts.verified) {
      return this.fail(`To be sure who you mean, mention them: type @ and pick ${text} from the list (a typed name isn't enough for this).`);
    }
    // Matrix ids keep their @ (`@bea:example.org`); Slack's don't (`U0BEA`).
    const identity = findIdentity(this.db, platform, bare) ?? findIdentity(this.db, platform, text);
    if (identity) return this.member(identity.memberId);
    const byName = findMembersByNameOn(this.db, platform, bare);
    if (byName.length === 1) return byName[0]!;
    if (byName.length > 1) return this.fail(`More than one person on ${platform} is called ${text}; mention the one you mean (type @ and pick them).`);
    return this.fail(`I don't know anyone on ${platform} called ${text}. Mention them (type @ and pick them from the list) and I'll find them.`);
  }

  /** The member behind an identity on this event's platform, added if new. */
  private memberFor(platformId: string, displayName: string): Member {
    const known = findIdentity(this.db, this.event.platform, platformId);
    if (!known || known.displayName !== displayName) this.needsWrite("a member met for the first time");
    const member = ensureMember(this.db, this.event.platform, platformId, displayName, this.now);
    return member.mergedInto ? this.member(member.mergedInto) : member;
  }
}

export class JobContext extends BaseContext {
  constructor(
    services: Services,
    readonly job: JobRow,
  ) {
    super(services, `job:${job.id}`);
  }

  /** Records that the job chose not to act (e.g. a reminder for a meeting already over). */
  skip(note: string): void {
    markJobSkipped(this.db, this.job.id, note);
    this.log.info({ jobId: this.job.id, kind: this.job.kind, key: this.job.key, note }, "scheduled job skipped");
  }

  /** How late this run is (0 when on time). */
  get lateMs(): number {
    return Math.max(0, this.now - this.job.dueAt);
  }
}
