/**
 * The one place that loads matrix-bot-sdk at run time.
 *
 * matrix-bot-sdk requires `@matrix-org/matrix-sdk-crypto-nodejs` at the top of
 * its CryptoClient, and that package throws on load when its native binary
 * (downloaded by its postinstall) is missing. So any value import of
 * matrix-bot-sdk throws on machines where the download failed.
 *
 * This loader first tries the real crypto package (resolved from
 * matrix-bot-sdk's own location, as matrix-bot-sdk would resolve it). If that
 * throws, it puts a stand-in module into `require.cache` under the crypto
 * package's resolved path, whose every use throws
 * "Matrix E2EE unavailable: native binding not installed", and then requires
 * matrix-bot-sdk, which works fine unencrypted.
 *
 * Rules for the rest of the code base: import only *types* from matrix-bot-sdk
 * (`import type`), get values from `loadMatrixSdk().sdk`, and pass a crypto
 * store to MatrixClient only when `e2ee` is true. Don't bundle the adapter.
 */
import Module, { createRequire } from "node:module";
import path from "node:path";
import type * as MatrixBotSdk from "matrix-bot-sdk";
import { matrixLogPart } from "./sdk-log-filter.ts";

export type MatrixSdk = typeof MatrixBotSdk;

export interface LoadedMatrixSdk {
  /** The matrix-bot-sdk module (CommonJS exports). */
  sdk: MatrixSdk;
  /** True when the native crypto binding loaded, i.e. E2EE can be used. */
  e2ee: boolean;
  /** Why E2EE is unavailable (the crypto package's load error), when it is. */
  e2eeError?: string;
}

export const E2EE_UNAVAILABLE_MESSAGE = "Matrix E2EE unavailable: native binding not installed";

const CRYPTO_PACKAGE = "@matrix-org/matrix-sdk-crypto-nodejs";

let cached: LoadedMatrixSdk | undefined;

/**
 * A module-exports object whose every property read, call, construction or
 * write throws the E2EE-unavailable error. A few reads that module machinery
 * and `await` perform without meaning to *use* the module (`__esModule`,
 * `then`, symbols such as `Symbol.toStringTag`/`util.inspect.custom`) answer
 * `undefined` instead, so merely holding or logging the stand-in never throws.
 */
function unavailableCryptoModule(cause: unknown): object {
  const fail = (): never => {
    throw new Error(E2EE_UNAVAILABLE_MESSAGE, { cause });
  };
  const harmless = new Set<PropertyKey>(["__esModule", "then"]);
  const handler: ProxyHandler<object> = {
    get(_target, prop) {
      if (typeof prop === "symbol" || harmless.has(prop)) return undefined;
      return fail();
    },
    has: (_t, prop) => (typeof prop === "symbol" || harmless.has(prop) ? false : fail()),
    set: fail,
    defineProperty: fail,
    deleteProperty: fail,
    apply: fail,
    construct: fail,
  };
  return new Proxy(function matrixSdkCryptoUnavailable() {}, handler);
}

/** Resolve the crypto package's main file as matrix-bot-sdk would, even when it cannot load. */
function resolveCryptoMain(sdkRequire: NodeJS.Require): string {
  try {
    return sdkRequire.resolve(CRYPTO_PACKAGE);
  } catch {
    // Resolving the bare name fails when the main file itself is missing:
    // compute it from package.json's "main" (what Node would have picked).
    const pkgJsonPath = sdkRequire.resolve(`${CRYPTO_PACKAGE}/package.json`);
    const pkg = sdkRequire(pkgJsonPath) as { main?: string };
    return path.resolve(path.dirname(pkgJsonPath), pkg.main ?? "index.js");
  }
}

/** Load matrix-bot-sdk once (cached), with the real crypto binding when it is there. */
export function loadMatrixSdk(): LoadedMatrixSdk {
  if (cached) return cached;

  const localRequire = createRequire(import.meta.url);
  const sdkPackageJson = localRequire.resolve("matrix-bot-sdk/package.json");
  // Resolve everything matrix-bot-sdk requires from matrix-bot-sdk's own place,
  // so we hit the same crypto package (and the same require.cache entry) it does.
  const sdkRequire = createRequire(sdkPackageJson);

  let e2ee = true;
  let e2eeError: string | undefined;
  try {
    sdkRequire(CRYPTO_PACKAGE);
  } catch (err) {
    e2ee = false;
    e2eeError = err instanceof Error ? err.message.split("\n")[0] : String(err);
    let cryptoMain: string;
    try {
      cryptoMain = resolveCryptoMain(sdkRequire);
    } catch (resolveErr) {
      throw new Error(
        `matrix-bot-sdk: cannot resolve ${CRYPTO_PACKAGE} from ${path.dirname(sdkPackageJson)} ` +
          `(is node_modules complete? run npm ci): ${String(resolveErr)}`,
        { cause: err },
      );
    }
    const stub = new Module(cryptoMain);
    stub.filename = cryptoMain;
    stub.paths = [];
    stub.exports = unavailableCryptoModule(err);
    stub.loaded = true;
    sdkRequire.cache[cryptoMain] = stub;
  }

  const sdk = localRequire("matrix-bot-sdk") as MatrixSdk;
  cached = e2eeError === undefined ? { sdk, e2ee } : { sdk, e2ee, e2eeError };
  return cached;
}

/** Where the SDK's log lines go: e.g. a pino logger (its methods accept a message string). */
export interface MatrixSdkLogSink {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/**
 * Send matrix-bot-sdk's LogService output to `sink` (trace goes to debug), or
 * silence it entirely with `null`. `minLevel` defaults to "info": the SDK is
 * very chatty at debug (every sync and request). Every part of every line
 * goes through sdk-log-filter.ts first, at any level: request and response
 * bodies become their field names, tokens are removed.
 *
 * The SDK's HTTP layer logs every Matrix error response at ERROR before
 * throwing it to the caller, including ones it then swallows itself (e.g. the
 * M_NOT_FOUND for missing `m.direct` account data on every `start()`). Those
 * lines (module "MatrixHttpClient") go to `sink.debug` unless
 * `httpErrorsAsErrors` is true: the caller sees the thrown error anyway.
 */
export function redirectMatrixSdkLogs(
  sink: MatrixSdkLogSink | null,
  minLevel: "trace" | "debug" | "info" | "warn" | "error" = "info",
  { httpErrorsAsErrors = false }: { httpErrorsAsErrors?: boolean } = {},
): void {
  const { LogService, LogLevel } = loadMatrixSdk().sdk;
  const line = (module: string, parts: unknown[]): string =>
    `[matrix-bot-sdk ${module}] ${parts.map(matrixLogPart).join(" ")}`;
  const noop = (): void => {};
  if (sink === null) {
    LogService.setLogger({ trace: noop, debug: noop, info: noop, warn: noop, error: noop });
    LogService.setLevel(LogLevel.ERROR);
    return;
  }
  const level = LogLevel.fromString(minLevel, LogLevel.INFO);
  LogService.setLogger({
    trace: (m, ...p) => sink.debug(line(m, p)),
    debug: (m, ...p) => sink.debug(line(m, p)),
    info: (m, ...p) => sink.info(line(m, p)),
    warn: (m, ...p) => sink.warn(line(m, p)),
    error: (m, ...p) => {
      if (m === "MatrixHttpClient" && !httpErrorsAsErrors) {
        if (level.includes(LogLevel.DEBUG)) sink.debug(line(m, p));
        return;
      }
      sink.error(line(m, p));
    },
  });
  LogService.setLevel(level);
}
