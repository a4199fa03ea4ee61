// People's display names, from users.info, cached for a while. A name that
// can't be looked up falls back to the last one known (then the caller's
// own fallback), so a Slack hiccup never renames anyone to their id.
import type { webApi } from "@slack/bolt";
import { Directory } from "./directory.ts";

export const USER_TTL_MS = 60 * 60_000;

interface SlackUser {
  name?: string;
  real_name?: string;
  deleted?: boolean;
  profile?: { display_name?: string; real_name?: string };
}

/** What people see as the name: display name, else full name, else username. */
export function displayNameOf(user: SlackUser | undefined): string | undefined {
  const candidates = [user?.profile?.display_name, user?.profile?.real_name, user?.real_name, user?.name];
  return candidates.map((c) => c?.trim()).find((c) => c) || undefined;
}

export function createUserNames(client: webApi.WebClient, opts: { now?: () => number; timeoutMs?: number } = {}): Directory<string> {
  return new Directory<string>(
    async (userId) => {
      const result = await client.users.info({ user: userId });
      return displayNameOf(result.user as SlackUser | undefined);
    },
    { ttlMs: USER_TTL_MS, timeoutMs: opts.timeoutMs ?? 2000, now: opts.now },
  );
}
