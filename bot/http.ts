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
/**
 * How much more of an oversized body is read and dropped before answering
 * 413. A client that writes its whole body before reading (curl, fetch)
 * only sees the answer if we read what it sent: closing a socket with
 * unread data resets the connection, and the answer is lost with it.
 */
const MAX_DISCARD = 1024 * 1024;

export interface RouteMatch {
  route: HttpRoute;
  params: Record<string, string>;
}

/** A percent-decoded path or segment, or undefined for a malformed escape (`%E0%A4%A`). */
function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * The route for `method path`, undefined when none, or "malformed" when the
 * path has a bad percent escape: that is the client's mistake (400), which
 * would otherwise surface as a URIError (500) in whichever route it hit.
 */
export function matchRoute(routes: readonly HttpRoute[], method: string, path: string): RouteMatch | "malformed" | undefined {
  if (decoded(path) === undefined) return "malformed";
  for (const route of routes) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = route.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:([a-zA-Z]+)/g, (_, name: string) => {
      names.push(name);
      return "([^/]+?)";
    });
    const m = new RegExp(`^${pattern}$`).exec(path);
    if (!m) continue;
    const values = names.map((_, i) => decoded(m[i + 1]!));
    if (values.some((v) => v === undefined)) return "malformed";
    return { route, params: Object.fromEntries(names.map((n, i) => [n, values[i]!])) };
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

const error = (status: number, message: string, headers?: Record<string, string>): HttpResponse => ({ status, headers, body: JSON.stringify({ error: message }) });

/** The request's path and query, or undefined for a request target no URL parser accepts. */
function urlOf(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? "/", "http://localhost");
  } catch {
    return undefined;
  }
}

async function serve(routes: readonly HttpRoute[], req: IncomingMessage, res: ServerResponse, log: Logger): Promise<void> {
  const send = (r: HttpResponse) => {
    res.writeHead(r.status, { "content-type": "application/json; charset=utf-8", ...r.headers });
    res.end(r.body);
  };
  try {
    const url = urlOf(req);
    const hit = url && matchRoute(routes, req.method ?? "GET", url.pathname);
    if (!url) return send(error(400, "malformed request target"));
    if (hit === "malformed") return send(error(400, "malformed request path: a bad percent escape"));
    if (!hit) return send(error(404, "not found"));
    const body = await readBody(req);
    // Closing after the answer: the rest of an oversized body is not worth reading.
    if (body === undefined) return send(error(413, `body too large: at most ${MAX_BODY / 1024} KiB`, { connection: "close" }));
    send(await hit.route.handle({ method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body, params: hit.params }));
  } catch (err) {
    log.error({ err }, "http handler failed");
    if (!res.headersSent) send(error(500, "internal error"));
  }
}

/**
 * The body as text, or undefined when it passes MAX_BODY. Past the limit it
 * keeps reading (and dropping) until the client has sent everything, up to
 * MAX_DISCARD, so that the 413 can be read (see MAX_DISCARD); beyond that
 * it gives up and the connection is closed after the answer.
 */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    // A declared length past what we would read is refused before reading any of it.
    if (Number(req.headers["content-length"]) > MAX_BODY + MAX_DISCARD) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
      else if (size > MAX_BODY + MAX_DISCARD) resolve(undefined);
      else chunks.length = 0;
    });
    req.on("end", () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
