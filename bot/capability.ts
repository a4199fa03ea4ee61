// A capability is one folder of commands (groups, meetings, actions, clinic):
// what it registers with the core. Adding one touches only its folder and
// the list in commands/index.ts.
import type { z } from "zod";
import type { AnyCommand } from "./command.ts";
import type { BaseContext, CommandContext, JobContext, Services } from "./context.ts";
import type { DomainHandlers, MetricSpec } from "./domain.ts";
import type { Config } from "./config.ts";
import type { InboundEvent } from "./events.ts";
import type { HttpRoute } from "./http.ts";

export interface RoleSpec {
  name: string;
  summary: string;
  /**
   * Scoped roles (a group's driver) are granted for one scope. `resolve`
   * turns what an admin types (`comms`) into the stored scope (`group:3`).
   */
  scope?: { noun: string; resolve(ctx: BaseContext, text: string): { scope: string; label: string } | undefined; describe(ctx: BaseContext, scope: string): string };
}

export interface JobSpec<P = unknown> {
  kind: string;
  /** Runs in one transaction with the messages it sends; the job is marked done in it too. */
  run(ctx: JobContext, payload: P): void;
}

/** Reacts to room messages that are not commands (e.g. `#action` lines during a meeting). */
export interface ListenerSpec {
  name: string;
  /** Cheap test on the text alone; only matching messages are recorded and run. */
  matches(event: InboundEvent): boolean;
  /**
   * Optional, after `matches`: whether the line is this listener's, from
   * what the database says of the sender (the clinic relay takes a DM only
   * from someone with an enquiry). A listener that declines leaves the line
   * to the next one that matches.
   */
  claims?(ctx: CommandContext): boolean;
  run(ctx: CommandContext): void;
}

/**
 * Keeps private text out of public rooms. Checked first, for every message
 * posted where others in a public room can read it (typed, or edited), so
 * what it does (take the message out, or say it can't) happens before any
 * reply, refusal or unknown-command answer, and isn't rolled back with them.
 */
export interface RoomGuardSpec {
  name: string;
  /** Whether the message is, or looks like, something private that shouldn't stay in this (non-DM) room. */
  matches(event: InboundEvent, config: Config): boolean;
  /** `removable`: the platform lets the bot take the message out of the room. */
  run(ctx: CommandContext, removable: boolean): void;
}

export interface Capability {
  name: string;
  commands?: readonly AnyCommand[];
  jobs?: readonly JobSpec<any>[];
  listeners?: readonly ListenerSpec[];
  roomGuards?: readonly RoomGuardSpec[];
  roles?: readonly RoleSpec[];
  /** Its own section of the config file, validated before the bot starts. */
  config?: { key: string; schema: z.ZodType };
  /** Brings the database in line with the config at start. Must be idempotent and never overwrite chat edits. */
  seed?(ctx: BaseContext): void;
  /**
   * Routes on the bot's HTTP server (website intake, calendar feeds). A
   * function of the bot's services when a route needs the database, clock or
   * outbox (it opens its own transaction with `inTransaction`).
   */
  http?: readonly HttpRoute[] | ((services: Services) => readonly HttpRoute[]);
  /** Domain events it acts on (`ctx.emit` from another capability), in the emitter's transaction. */
  on?: DomainHandlers;
  /** Figures it contributes to `progress` against the strategy's targets. */
  metrics?: readonly MetricSpec[];
  /**
   * When two members turn out to be one person (linked accounts), move its
   * rows from `from` to `into` without creating duplicates.
   */
  mergeMembers?(ctx: BaseContext, from: number, into: number): void;
  /**
   * A member asked to be forgotten (`forget me`): erase the free text they
   * wrote in this capability's tables and let go of what ties them to it
   * (pending requests, jobs about them, work in their hands), keeping the
   * anonymous facts that counts are made of. Runs before the core's part,
   * while their accounts are still known (so notices about handed-back work
   * can still be sent), in the same transaction. Returns the texts it
   * erased, so the copies of messages that quoted them can be found.
   */
  forgetMember?(ctx: BaseContext, memberId: number): readonly string[] | void;
  /** A member's own data in this capability's tables (`export me`), by section name; plain JSON values. */
  exportMember?(ctx: BaseContext, memberId: number): Record<string, unknown>;
  /**
   * Asked by the daily pruning about a post older than the config's
   * `storage.editableMessageDays` that carries a message key this
   * capability made: true keeps it, because a later decision may still edit
   * it (a join request still pending; a clinic enquiry not yet erased, whose
   * erasure must still reach every copy).
   */
  keepsMessage?(ctx: BaseContext, key: string): boolean;
  /**
   * A message it posted under `key` could never be delivered (an email
   * address that doesn't exist): tell whoever can act on it, and return
   * true; false leaves it to the core's report (to the admins).
   */
  undeliverable?(ctx: BaseContext, key: string, error: string): boolean;
}

export function defineJob<P>(spec: JobSpec<P>): JobSpec<P> {
  return spec;
}

export function defineCapability(capability: Capability): Capability {
  return capability;
}
