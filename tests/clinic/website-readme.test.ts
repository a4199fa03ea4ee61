// The README's examples for the website's developers, run as written (the
// shell one with sh, curl and openssl; the Node one with node) against the
// bot's real HTTP server: each must be accepted, and its retry taken as the
// same enquiry. Their timestamps come from the machine, so this bot's clock
// starts at the machine's time.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { useClinicBots } from "./harness.ts";

const run = promisify(execFile);
const readme = readFileSync("README.md", "utf8");
const intake = readme.slice(readme.indexOf("**Website intake**"));
const block = (lang: string) => new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(intake)?.[1] ?? "";

/** A fixed 32-byte key whose base64 has `+` and `/` in it, the characters a shell or a URL would mangle. */
const SECRET = `whsec_${Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 97 + 251) % 256)).toString("base64")}`;
const bots = useClinicBots();

afterEach(() => {
  delete process.env.CLINIC_WEBHOOK_SECRET;
});

async function serve() {
  process.env.CLINIC_WEBHOOK_SECRET = SECRET;
  const t = bots({ config: { http: { port: 0 } }, start: new Date().toISOString() });
  await t.bot.start({ schedulerIntervalMs: 3600_000 });
  const env = { ...process.env, CLINIC_WEBHOOK_SECRET: SECRET, CLINIC_URL: `http://127.0.0.1:${t.bot.httpAddress()!.port}/clinic/enquiries` };
  const rows = (table: string) => (t.db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  return { env, counts: () => ({ enquiries: rows("clinic_enquiries"), deliveries: rows("clinic_intake_deliveries") }) };
}

describe("the README's website intake examples", () => {
  it("signs and sends from a POSIX shell with curl and openssl, and retries with the same id", async () => {
    const { env, counts } = await serve();
    const script = block("sh");
    expect(script).toContain("openssl dgst -sha256 -mac HMAC");
    const { stdout } = await run("sh", ["-c", script], { env, timeout: 20_000 });
    expect(stdout.trim().split("\n")).toEqual(['{"ref":"CL-0001"} 201', '{"ref":"CL-0001","duplicate":true} 200']);
    expect(counts()).toEqual({ enquiries: 1, deliveries: 2 });
  });

  it("signs and sends from Node with the standardwebhooks package, and retries with the same id", async () => {
    const { env, counts } = await serve();
    const script = block("js");
    expect(script).toContain("webhook.sign(id, now, body)");
    // Run from the project, where `standardwebhooks` is installed, as the website's server would have it.
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { env, timeout: 20_000 });
    expect(stdout.trim().split("\n")).toEqual(["{ status: 201, ref: 'CL-0001' }", "{ status: 200, ref: 'CL-0001', duplicate: true }"]);
    expect(counts()).toEqual({ enquiries: 1, deliveries: 2 });
  });
});
