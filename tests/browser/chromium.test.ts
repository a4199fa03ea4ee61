// The browser the page tests rely on is really here and really renders:
// a page served on localhost, read back and a form submitted without
// JavaScript, as the reply page and the dashboard will be.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { launchBrowser } from "../helpers/browser.ts";

let browser: Browser;
let server: Server;
let posted = "";

beforeAll(async () => {
  browser = await launchBrowser();
  server = createServer((req, res) => {
    if (req.method === "POST") {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        posted = new URLSearchParams(body).get("answer") ?? "";
        res.writeHead(303, { location: "/" }).end();
      });
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><title>t</title><p id="said">${posted ? "Thanks" : "Nothing yet"}</p><form method="post"><label for="a">Answer</label><input id="a" name="answer"><button>Send</button></form>`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => server?.close(() => r()));
});

test("Chromium submits a plain form on a localhost page and shows the answer", async () => {
  const page = await browser.newPage({ javaScriptEnabled: false });
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  expect(await page.textContent("#said")).toBe("Nothing yet");
  await page.getByLabel("Answer").fill("we meet on Tuesdays");
  await page.getByRole("button", { name: "Send" }).click();
  await page.waitForLoadState();
  expect(posted).toBe("we meet on Tuesdays");
  expect(await page.textContent("#said")).toBe("Thanks");
});
