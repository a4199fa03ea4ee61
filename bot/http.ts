// The bot's optional HTTP server (Node's own http): website intake, calendar feeds.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "./log.ts";

export interface HttpRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  /** Raw body bytes as text (signatures are computed over exactly this). */
  body: string;
  params: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface HttpRoute {
  method: "GET" | "POST";
  /** Path with `:name` segments, e.g. `/calendar/:group.ics`. */
  path: string;
  handle(req: HttpRequest): HttpResponse | Promise<HttpResponse>;
}

const MAX_BODY = 64 * 1024;

export function matchRoute(routes: readonly HttpRoute[], method: string, path: string): { route: HttpRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = route.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:([a-zA-Z]+)/g, (_, name: string) => {
      names.push(name);
      return "([^/]+?)";
    });
    const m = new RegExp(`^${pattern}$`).exec(path);
    if (m) return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
  }
  return undefined;
}

export function startHttpServer(routes: readonly HttpRoute[], opts: { port: number; host: string; log: Logger }): Promise<Server> {
  const server = createServer((req, res) => {
    void serve(routes, req, res, opts.log);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve(server));
  });
}

async function serve(routes: readonly HttpRoute[], req: IncomingMessage, res: ServerResponse, log: Logger): Promise<void> {
  const send = (r: HttpResponse) => {
    res.writeHead(r.status, { "content-type": "application/json; charset=utf-8", ...r.headers });
    res.end(r.body);
  };
  try {
    const url = new URL(req.url ?? "/", "http://localhost");
    const hit = matchRoute(routes, req.method ?? "GET", url.pathname);
    if (!hit) return send({ status: 404, body: JSON.stringify({ error: "not found" }) });
    const body = await readBody(req);
    if (body === undefined) return send({ status: 413, body: JSON.stringify({ error: "body too large" }) });
    send(await hit.route.handle({ method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body, params: hit.params }));
  } catch (err) {
    log.error({ err }, "http handler failed");
    send({ status: 500, body: JSON.stringify({ error: "internal error" }) });
  }
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
