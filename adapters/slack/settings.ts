// The Slack adapter's settings, read from environment variables (secrets
// never live in the config file). Every problem names the variable and says
// where in the Slack app's settings the right value is found.
import { AdapterSetupError } from "../index.ts";

interface Common {
  botToken: string;
  apiUrl?: string;
  /** Milliseconds between two messages to one channel: Slack asks for about one a second. */
  pacingMs: number;
}

export type SlackSettings = (Common & { mode: "socket"; appToken: string }) | (Common & { mode: "http"; signingSecret: string; port: number });

const WHERE = {
  SLACK_BOT_TOKEN: "copy the Bot User OAuth Token (xoxb-…) from your Slack app's OAuth & Permissions page",
  SLACK_APP_TOKEN: "create an App-Level Token with the connections:write scope on your Slack app's Basic Information page and copy it (xapp-…)",
  SLACK_SIGNING_SECRET: "copy the Signing Secret from your Slack app's Basic Information page",
} as const;

type Env = Record<string, string | undefined>;

function required(env: Env, name: keyof typeof WHERE, prefix?: string): string {
  const value = env[name]?.trim();
  if (!value) throw new AdapterSetupError(`${name} is not set: ${WHERE[name]}`);
  if (prefix && !value.startsWith(prefix)) {
    throw new AdapterSetupError(`${name} should start with "${prefix}" but starts with "${value.slice(0, 5)}": ${WHERE[name]}`);
  }
  return value;
}

function optionalUrl(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AdapterSetupError(`${name} is not a URL (got "${value}"); leave it unset to use https://slack.com/api/`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new AdapterSetupError(`${name} must be an http(s) URL (got "${value}")`);
  return value.endsWith("/") ? value : `${value}/`;
}

function port(env: Env): number {
  const raw = env.SLACK_PORT?.trim();
  if (!raw) return 3000;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65535) throw new AdapterSetupError(`SLACK_PORT must be a port number from 0 to 65535 (got "${raw}")`);
  return n;
}

/** SLACK_PACING_MS: only worth lowering against a test server; Slack itself throttles faster posting. */
function pacing(env: Env): number {
  const raw = env.SLACK_PACING_MS?.trim();
  if (!raw) return 1000;
  if (!/^\d{1,5}$/.test(raw)) throw new AdapterSetupError(`SLACK_PACING_MS must be milliseconds between two posts to one channel (got "${raw}"; default 1000)`);
  return Number(raw);
}

/**
 * Socket Mode unless told otherwise: it needs no public URL. `SLACK_MODE`
 * chooses; without it, an app token means socket, a signing secret http.
 */
export function readSlackSettings(env: Env): SlackSettings {
  const botToken = required(env, "SLACK_BOT_TOKEN", "xoxb-");
  const apiUrl = optionalUrl(env, "SLACK_API_URL");
  const wanted = env.SLACK_MODE?.trim().toLowerCase();
  if (wanted && wanted !== "socket" && wanted !== "http") {
    throw new AdapterSetupError(`SLACK_MODE must be "socket" or "http" (got "${env.SLACK_MODE}")`);
  }
  const mode: SlackSettings["mode"] | undefined =
    (wanted as SlackSettings["mode"] | undefined) || (env.SLACK_APP_TOKEN?.trim() ? "socket" : env.SLACK_SIGNING_SECRET?.trim() ? "http" : undefined);
  if (!mode) {
    throw new AdapterSetupError(
      `SLACK_APP_TOKEN is not set: ${WHERE.SLACK_APP_TOKEN} (Socket Mode, no public URL needed); ` +
        `or, for HTTP mode, set SLACK_SIGNING_SECRET and SLACK_MODE=http`,
    );
  }
  const common = { botToken, apiUrl, pacingMs: pacing(env) };
  if (mode === "socket") return { mode, ...common, appToken: required(env, "SLACK_APP_TOKEN", "xapp-") };
  return { mode, ...common, signingSecret: required(env, "SLACK_SIGNING_SECRET"), port: port(env) };
}

/** Where each token comes from, for messages about a token Slack refused. */
export const TOKEN_HELP = WHERE;
