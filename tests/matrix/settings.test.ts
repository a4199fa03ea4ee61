import { describe, expect, it } from "vitest";
import { AdapterSetupError } from "../../adapters/index.ts";
import { inviteAllowed, readMatrixSettings } from "../../adapters/matrix/settings.ts";

const hs = { MATRIX_HOMESERVER_URL: "https://matrix.example.org/" };
const fails = (env: Record<string, string>) => {
  try {
    readMatrixSettings(env);
  } catch (err) {
    expect(err).toBeInstanceOf(AdapterSetupError);
    return (err as Error).message;
  }
  throw new Error("expected an AdapterSetupError");
};

describe("Matrix settings from the environment", () => {
  it("names the missing variable", () => {
    expect(fails({})).toMatch(/^MATRIX_HOMESERVER_URL is not set/);
    expect(fails(hs)).toMatch(/^MATRIX_ACCESS_TOKEN is not set: .*MATRIX_USER and MATRIX_PASSWORD/);
    expect(fails({ ...hs, MATRIX_USER: "coopbot" })).toMatch(/^MATRIX_PASSWORD is not set/);
    expect(fails({ ...hs, MATRIX_PASSWORD: "pw" })).toMatch(/^MATRIX_USER is not set/);
    expect(fails({ MATRIX_HOMESERVER_URL: "matrix.example.org", MATRIX_ACCESS_TOKEN: "t" })).toMatch(/^MATRIX_HOMESERVER_URL is not a URL/);
    expect(fails({ ...hs, MATRIX_ACCESS_TOKEN: "t", MATRIX_COMMAND_PREFIX: "! coop" })).toMatch(/^MATRIX_COMMAND_PREFIX/);
    expect(fails({ ...hs, MATRIX_ACCESS_TOKEN: "t", MATRIX_ALLOWED_SERVERS: "example.org, not a server" })).toMatch(/^MATRIX_ALLOWED_SERVERS: "not a server"/);
  });

  it("reads a token, or a user and password, the prefix and the allowed servers", () => {
    expect(readMatrixSettings({ ...hs, MATRIX_ACCESS_TOKEN: " syt_abc " })).toEqual({
      homeserverUrl: "https://matrix.example.org",
      auth: { kind: "token", accessToken: "syt_abc" },
      commandPrefix: "!coop",
      allowedServers: [],
    });
    const s = readMatrixSettings({ ...hs, MATRIX_USER: "@coopbot:example.org", MATRIX_PASSWORD: " pw ", MATRIX_COMMAND_PREFIX: "!co", MATRIX_ALLOWED_SERVERS: "Example.org, other.org:8448" });
    expect(s.auth).toEqual({ kind: "password", user: "@coopbot:example.org", password: " pw " });
    expect(s.commandPrefix).toBe("!co");
    expect(s.allowedServers).toEqual(["example.org", "other.org:8448"]);
  });

  it("accepts invites only from the allowed servers, when a list is set", () => {
    expect(inviteAllowed({ allowedServers: [] }, "@mallory:evil.org")).toBe(true);
    expect(inviteAllowed({ allowedServers: ["example.org"] }, "@alice:Example.org")).toBe(true);
    expect(inviteAllowed({ allowedServers: ["example.org"] }, "@mallory:evil.org")).toBe(false);
    expect(inviteAllowed({ allowedServers: ["example.org"] }, "@mallory:evil.org:example.org")).toBe(false);
  });
});
