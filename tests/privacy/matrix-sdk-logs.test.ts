// matrix-bot-sdk at its chattiest (trace, which the redirect sends to debug)
// against a stand-in homeserver: a message sent, a sync received, a login, a
// refused request, and tokens in a query and in plain text. What reaches the
// sink (a plain one: no pino, so nothing downstream cleans up after the
// filter) holds no message text, access token or password, and still names
// the requests, their status and Matrix's error codes.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMatrixSdk, redirectMatrixSdkLogs } from "../../adapters/matrix/sdk.ts";

const MESSAGE = "echidnaquill we would like help writing our secondary rules before the members meeting";
const SYNCED = "bilbysecret the treasurer still cannot sign cheques and the bank wants new mandates";
const ACCESS_TOKEN = "syt_Y29vcGJvdA_QwErTyUiOpAsDfGhJkLz_0abcde";
const LOGIN_TOKEN = "syt_bG9naW4_ZxCvBnMqWeRtYuIoPaSd_1fghij";
const PASSWORD = "correct-horse-battery-wallaby";

let server: Server;
let homeserver = "";
const lines: string[] = [];

/** Just enough of the client-server API for the calls below. */
function answer(method: string, path: string): [number, unknown] {
  if (method === "PUT" && path.includes("/send/m.room.message/")) return [200, { event_id: "$sent:example.org" }];
  if (path.startsWith("/_matrix/client/v3/sync")) {
    const event = { type: "m.room.message", event_id: "$synced:example.org", sender: "@alice:example.org", content: { msgtype: "m.text", body: SYNCED } };
    return [200, { next_batch: "s2_1", rooms: { join: { "!room:example.org": { timeline: { events: [event] } } } } }];
  }
  if (path === "/_matrix/client/v3/login") return [200, { access_token: LOGIN_TOKEN, user_id: "@coopbot:example.org", device_id: "DEV1" }];
  if (path.includes("!private:example.org")) return [403, { errcode: "M_FORBIDDEN", error: "You are not in room !private:example.org." }];
  return [404, { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" }];
}

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const [status, body] = answer(req.method ?? "GET", decodeURIComponent((req.url ?? "/").split("?")[0]!));
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  homeserver = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sink = (level: string) => (msg: string) => void lines.push(`${level} ${msg}`);
  redirectMatrixSdkLogs({ debug: sink("DEBUG"), info: sink("INFO"), warn: sink("WARN"), error: sink("ERROR") }, "trace", { httpErrorsAsErrors: true });
});

afterAll(async () => {
  redirectMatrixSdkLogs(null);
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("matrix-bot-sdk's log lines, redirected", () => {
  it("carry no message text, access token or password at trace, and still name requests, statuses and error codes", async () => {
    const { sdk } = loadMatrixSdk();
    const client = new sdk.MatrixClient(homeserver, ACCESS_TOKEN, new sdk.MemoryStorageProvider());
    await client.sendText("!room:example.org", MESSAGE);
    // A query that carries the token (as appservice-style requests do), and a sync full of messages.
    await client.doRequest("GET", "/_matrix/client/v3/sync", { since: "s1_1", access_token: ACCESS_TOKEN });
    await new sdk.MatrixAuth(homeserver).passwordLogin("coopbot", PASSWORD, "coopbot test");
    await expect(client.getRoomStateEvent("!private:example.org", "m.room.name", "")).rejects.toMatchObject({ errcode: "M_FORBIDDEN" });
    // What other SDK paths hand to LogService: a URL with the token in it, a token in an error, a raw body.
    sdk.LogService.debug("MatrixClientLite", `GET ${homeserver}/_matrix/client/v3/sync?access_token=${ACCESS_TOKEN}&since=s1`);
    sdk.LogService.error("MatrixClientLite", new Error(`request with ${ACCESS_TOKEN} failed`));
    sdk.LogService.warn("RichRepliesPreprocessor", { event_id: "$x:example.org", content: { body: MESSAGE } });

    expect(lines.length).toBeGreaterThan(10);
    const leaks = [MESSAGE, SYNCED, "echidnaquill", "bilbysecret", ACCESS_TOKEN, LOGIN_TOKEN, "QwErTyUiOpAsDfGhJkLz", PASSWORD].flatMap((secret) =>
      lines.filter((line) => line.includes(secret)).map((line) => `${secret.slice(0, 20)}… in: ${line.slice(0, 300)}`),
    );
    expect(leaks).toEqual([]);

    // The operator's view: requests by id and URL, statuses, codes and the ids of what was made.
    expect(lines).toContainEqual(expect.stringMatching(/^DEBUG \[matrix-bot-sdk MatrixHttpClient\] \(REQ-\d+\) PUT http:\/\/127\.0\.0\.1:\d+\/_matrix\/client\/v3\/rooms\/!room%3Aexample\.org\/send\/m\.room\.message\//));
    expect(lines).toContainEqual(expect.stringMatching(/body = \{"msgtype":"m\.text"\} \(not logged: body\)/));
    expect(lines).toContainEqual(expect.stringMatching(/RESP-H200\) \{"event_id":"\$sent:example\.org"\}/));
    expect(lines).toContainEqual(expect.stringMatching(/qs = \{\} \(not logged: since, access_token\)/));
    expect(lines).toContainEqual(expect.stringMatching(/RESP-H200\) \{\} \(not logged: next_batch, rooms\)/));
    expect(lines).toContainEqual(expect.stringMatching(/^ERROR .*\{"errcode":"M_FORBIDDEN","error":"You are not in room !private:example\.org\."\}/));
    expect(lines).toContainEqual(expect.stringMatching(/sync\?access_token=\[redacted\]&since=s1/));
  });
});
