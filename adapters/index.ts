// The platform adapters the bot can run, loaded only when asked for, so a
// console-only bot never loads a platform SDK.
import type { Adapter } from "../bot/adapter.ts";
import type { Config } from "../bot/config.ts";
import type { Logger } from "../bot/log.ts";

export interface AdapterEnvironment {
  env: NodeJS.ProcessEnv;
  config: Config;
  log: Logger;
  /** Where an adapter may keep state files (Matrix sync token, crypto store). */
  dataDir: string;
}

/** A setting the adapter needs is missing or wrong; the message names it. */
export class AdapterSetupError extends Error {
  override name = "AdapterSetupError";
}

type Factory = (setup: AdapterEnvironment) => Promise<Adapter>;

const FACTORIES: Record<string, () => Promise<Factory>> = {};

export function registerAdapterFactory(name: string, load: () => Promise<Factory>): void {
  FACTORIES[name] = load;
}
registerAdapterFactory("slack", async () => (await import("./slack/index.ts")).createSlackAdapter);
registerAdapterFactory("matrix", async () => (await import("./matrix/index.ts")).createMatrixAdapter);

export const SERVICE_ADAPTERS = (): string[] => Object.keys(FACTORIES);

export async function createServiceAdapter(name: string, setup: AdapterEnvironment): Promise<Adapter> {
  const load = FACTORIES[name];
  if (!load) throw new AdapterSetupError(`unknown adapter "${name}"; choose from console${Object.keys(FACTORIES).map((n) => `, ${n}`).join("")}`);
  return (await load())(setup);
}

/**
 * Reads an adapter's settings from the environment without starting it:
 * throws the AdapterSetupError naming the variable to fix (`coopbot
 * doctor`). Loads only the settings module, never a platform SDK.
 */
export async function checkAdapterSettings(name: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (name === "console") return;
  if (name === "slack") (await import("./slack/settings.ts")).readSlackSettings(env);
  else if (name === "matrix") (await import("./matrix/settings.ts")).readMatrixSettings(env);
  else throw new AdapterSetupError(`unknown adapter "${name}"; choose from console${Object.keys(FACTORIES).map((n) => `, ${n}`).join("")}`);
}
