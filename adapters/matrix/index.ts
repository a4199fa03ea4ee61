// `npm start -- --adapter matrix`: reads the Matrix settings from the
// environment (see settings.ts and README.md) and builds the adapter. The
// SDK is loaded (and the homeserver contacted) only when the bot starts it.
import type { Adapter } from "../../bot/adapter.ts";
import type { AdapterEnvironment } from "../index.ts";
import { MatrixAdapter, type MatrixAdapterOptions } from "./adapter.ts";
import { readMatrixSettings } from "./settings.ts";

export { MatrixAdapter } from "./adapter.ts";
export type { MatrixAdapterOptions } from "./adapter.ts";

export async function createMatrixAdapter(
  setup: AdapterEnvironment,
  overrides: Partial<Omit<MatrixAdapterOptions, "settings" | "dataDir" | "log">> = {},
): Promise<Adapter & MatrixAdapter> {
  const settings = readMatrixSettings(setup.env);
  return new MatrixAdapter({ settings, dataDir: setup.dataDir, log: setup.log, ...overrides });
}
