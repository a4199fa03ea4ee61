// The Matrix adapter's settings, read from environment variables (secrets
// never live in the config file). Every problem names the variable to fix.
import { AdapterSetupError } from "../index.ts";

export type MatrixAuthSettings =
  /** A ready access token (e.g. copied from Element: Settings → Help & About → Access token). */
  | { kind: "token"; accessToken: string }
  /** Log in once with a password; the token is stored in the data dir and reused. */
  | { kind: "password"; user: string; password: string };

export interface MatrixSettings {
  homeserverUrl: string;
  auth: MatrixAuthSettings;
  /** What starts a command in a room, without the trailing space: `!coop`. */
  commandPrefix: string;
  /** Invites are accepted only from users on these servers; empty = from anyone. */
  allowedServers: string[];
}

export const DEFAULT_COMMAND_PREFIX = "!coop";

type Env = Record<string, string | undefined>;

const value = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

function homeserverUrl(env: Env): string {
  const raw = value(env, "MATRIX_HOMESERVER_URL");
  if (!raw) {
    throw new AdapterSetupError(
      "MATRIX_HOMESERVER_URL is not set: set it to your homeserver's client API address, e.g. https://matrix.example.org",
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AdapterSetupError(`MATRIX_HOMESERVER_URL is not a URL (got "${raw}"); e.g. https://matrix.example.org`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new AdapterSetupError(`MATRIX_HOMESERVER_URL must be an http(s) URL (got "${raw}")`);
  }
  return raw.replace(/\/+$/, "");
}

function auth(env: Env): MatrixAuthSettings {
  const accessToken = value(env, "MATRIX_ACCESS_TOKEN");
  if (accessToken) return { kind: "token", accessToken };
  const user = value(env, "MATRIX_USER");
  const password = env.MATRIX_PASSWORD; // a password may start or end with spaces
  if (user && password) return { kind: "password", user, password };
  if (user) throw new AdapterSetupError(`MATRIX_PASSWORD is not set: it is needed to log in as MATRIX_USER (${user}); or set MATRIX_ACCESS_TOKEN instead`);
  if (password) throw new AdapterSetupError("MATRIX_USER is not set: it is needed with MATRIX_PASSWORD (the bot's user, e.g. @coopbot:example.org); or set MATRIX_ACCESS_TOKEN instead");
  throw new AdapterSetupError(
    "MATRIX_ACCESS_TOKEN is not set: set it to the bot account's access token, or set MATRIX_USER and MATRIX_PASSWORD to log in (the token is then kept in the data dir)",
  );
}

function commandPrefix(env: Env): string {
  const raw = value(env, "MATRIX_COMMAND_PREFIX");
  if (raw === undefined) return DEFAULT_COMMAND_PREFIX;
  if (/\s/.test(raw)) throw new AdapterSetupError(`MATRIX_COMMAND_PREFIX must be one word without spaces (got "${raw}"), e.g. !coop`);
  return raw;
}

/** `example.org, other.org:8448` → lower-cased server names. */
function allowedServers(env: Env): string[] {
  const raw = value(env, "MATRIX_ALLOWED_SERVERS");
  if (!raw) return [];
  const servers = raw.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const server of servers) {
    if (!/^[a-z0-9.-]+(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/.test(server)) {
      throw new AdapterSetupError(`MATRIX_ALLOWED_SERVERS: "${server}" is not a server name; list them comma-separated, e.g. example.org,other.org`);
    }
  }
  return servers;
}

export function readMatrixSettings(env: Env): MatrixSettings {
  return {
    homeserverUrl: homeserverUrl(env),
    auth: auth(env),
    commandPrefix: commandPrefix(env),
    allowedServers: allowedServers(env),
  };
}

/** The server part of a user id: `@alice:example.org` → `example.org`. */
export function serverOf(userId: string): string {
  const at = userId.indexOf(":");
  return at < 0 ? "" : userId.slice(at + 1).toLowerCase();
}

/** Whether an invite from `userId` may be accepted. */
export function inviteAllowed(settings: Pick<MatrixSettings, "allowedServers">, userId: string): boolean {
  return settings.allowedServers.length === 0 || settings.allowedServers.includes(serverOf(userId));
}
