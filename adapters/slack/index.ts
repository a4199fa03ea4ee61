// `npm start -- --adapter slack`: reads the Slack settings from the
// environment (see settings.ts and README.md) and builds the adapter.
import type { Adapter } from "../../bot/adapter.ts";
import type { AdapterEnvironment } from "../index.ts";
import { SlackAdapter } from "./adapter.ts";
import { readSlackSettings } from "./settings.ts";

export { SlackAdapter } from "./adapter.ts";
export type { SlackAdapterOptions } from "./adapter.ts";

export async function createSlackAdapter(setup: AdapterEnvironment): Promise<Adapter> {
  const settings = readSlackSettings(setup.env);
  return new SlackAdapter({ settings, log: setup.log });
}
