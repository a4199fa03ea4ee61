// Which platforms this bot is running on, and how a person types a command
// on each: the core never imports an adapter, but it knows what the
// attached ones said about themselves (their prefix and capabilities), so a
// message can tell someone what to type on the platform they will type it
// on, and offer only what that platform can do.
import type { AdapterCapabilities } from "./adapter.ts";
import type { Services } from "./context.ts";
import { PLATFORMS, type ChatPlatform, type Platform } from "./events.ts";
import { esc } from "./markup.ts";

export interface PlatformInfo {
  platform: Platform;
  /** `/coop `, `!coop `, `/`. */
  commandPrefix: string;
  capabilities: AdapterCapabilities;
}

/** What each platform's adapter uses unless configured otherwise (Matrix's prefix is a setting). */
const DEFAULTS: Record<ChatPlatform, Omit<PlatformInfo, "platform">> = {
  console: { commandPrefix: "/", capabilities: { buttons: true, ephemeral: true, edit: true } },
  slack: { commandPrefix: "/coop ", capabilities: { buttons: true, ephemeral: true, edit: true, invite: true, files: true } },
  matrix: { commandPrefix: "!coop ", capabilities: { buttons: false, ephemeral: false, edit: true, invite: true, files: true } },
};

/** The platforms the bot runs on now (every platform, with its defaults, when the core wasn't told). */
export function runningPlatforms(services: Services): readonly PlatformInfo[] {
  return services.platforms?.() ?? PLATFORMS.map((platform) => ({ platform, ...DEFAULTS[platform] }));
}

export function platformInfo(services: Services, platform: Platform): PlatformInfo | undefined {
  return runningPlatforms(services).find((p) => p.platform === platform);
}

export function isRunning(services: Services, platform: Platform): boolean {
  return platformInfo(services, platform) !== undefined;
}

/** `Slack`, `Matrix`, `the console`: a platform's name in a sentence. */
export function platformName(platform: Platform): string {
  return platform === "console" ? "the console" : platform.charAt(0).toUpperCase() + platform.slice(1);
}

/**
 * A command as typed on another platform than the reader's (`<cmd:…>`
 * already gives the reader's own prefix): `` `!coop link confirm AB12` ``.
 */
export function cmdOn(services: Services, platform: Platform, command: string): string {
  const prefix = platformInfo(services, platform)?.commandPrefix ?? (platform === "email" ? "" : DEFAULTS[platform].commandPrefix);
  return `\`${esc(`${prefix}${command}`).replace(/`/g, "'")}\``;
}
