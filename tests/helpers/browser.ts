// A real headless Chromium (Debian's package) driven by playwright-core, for
// the pages the bot serves. No browser is downloaded: the system one is
// used, and a missing one fails the suite loudly (CI installs it with
// scripts/ensure-chromium.sh) rather than skipping it.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"];

export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new Error("Chromium is not installed: run scripts/ensure-chromium.sh (apt-get install chromium) or set CHROMIUM_PATH");
  return found;
}

/** One browser for a test file; close it in afterAll. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}
