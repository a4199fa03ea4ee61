// The website enquirer's reply page, served by the bot's HTTP server at the
// private link each email carries (reply-link.ts): they read their
// conversation and write back into it, and give or take back consent. A
// message written here reaches the enquiry's thread like one typed in chat.
// The log gets the status and the enquiry's reference only: never the
// token, the words or the address.
import { BaseContext, type Services } from "../../bot/context.ts";
import { CommandError } from "../../bot/command.ts";
import type { HttpRequest, HttpResponse, HttpRoute } from "../../bot/http.ts";
import { inTransaction } from "../../db/connection.ts";
import { messagesOf } from "../../db/clinic-conversation.ts";
import { lastEmailQueuedAt } from "../../db/clinic-outbox.ts";
import { getEnquiry, refOf, type Enquiry } from "../../db/clinic.ts";
import { getMember } from "../../db/members.ts";
import { when } from "./access.ts";
import { giveConsent, takeBackConsent } from "./consent.ts";
import { emailFreshLink } from "./emails.ts";
import { conversationPage, messagePage, type PageView } from "./reply-page-html.ts";
import { readReplyToken, REPLY_PATH } from "./reply-link.ts";
import { isLive, relayFromEnquirer } from "./relay.ts";

const HOUR = 3600_000;
const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  // No script at all, and forms post only back here.
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

const page = (status: number, body: string): HttpResponse => ({ status, headers: HEADERS, body });
const refused = () => page(404, messagePage("This link doesn't work", "This isn't a link to a Co-op Clinic enquiry. Please use the link in the most recent email from the clinic, exactly as it came."));

type Opened = { kind: "ok"; e: Enquiry; token: string } | { kind: "expired"; e: Enquiry; token: string } | { kind: "refused" } | { kind: "erased" };

function open(ctx: BaseContext, token: string): Opened {
  const link = readReplyToken(ctx.db, token);
  const e = link && getEnquiry(ctx.db, link.enquiryId);
  if (!link || !e || e.source !== "website") return { kind: "refused" };
  if (e.erasedAt !== null) return { kind: "erased" };
  if (ctx.now >= link.expiresAt) return { kind: "expired", e, token };
  return { kind: "ok", e, token };
}

function view(ctx: BaseContext, e: Enquiry, token: string, extra: Partial<PageView> = {}): PageView {
  const clinicName = (id: number | null) => `${(id !== null && getMember(ctx.db, id)?.displayName) || "The clinic"} (Co-op Clinic)`;
  const lines = messagesOf(ctx.db, e.id).map((m) => ({ who: m.direction === "in" ? "You" : clinicName(m.authorId), when: when(ctx, m.createdAt), text: m.text ?? "", mine: m.direction === "in" }));
  const asked = e.state !== "with-adviser";
  return {
    ref: refOf(e.id),
    federation: `The Co-op Clinic of ${ctx.config.federation.name}`,
    question: e.text ?? "",
    received: when(ctx, e.createdAt),
    lines,
    open: isLive(e),
    ...(asked ? { consent: e.consentAt !== null ? "given" : e.consentWithdrawnAt !== null ? "withdrawn" : "not yet" } : {}),
    action: `${REPLY_PATH}/${token}`,
    ...extra,
  };
}

function expiredPage(token: string): HttpResponse {
  return page(410, messagePage("This link has expired", "For your privacy, links to your enquiry's page work for a limited time. I can email you a fresh one at the address you gave.", { action: `${REPLY_PATH}/${token}`, label: "Email me a fresh link" }));
}

function show(services: Services, req: HttpRequest): HttpResponse {
  const ctx = new BaseContext(services, "http:clinic-reply");
  const opened = open(ctx, req.params.token ?? "");
  if (opened.kind === "refused") return refused();
  if (opened.kind === "erased") return page(410, messagePage("This conversation was erased", "At your request, the clinic keeps nothing of what was written about this enquiry."));
  if (opened.kind === "expired") return expiredPage(opened.token);
  const done = req.query.get("done");
  const notice = done === "sent" ? "Sent: the clinic team has your message." : done === "consent" ? "Thank you: the clinic may share your enquiry with an adviser." : done === "withdrawn" ? "Done: the clinic won't share your enquiry with an adviser." : undefined;
  return page(200, conversationPage(view(ctx, opened.e, opened.token, notice ? { notice } : {})));
}

/** What the enquirer asked for, in its own transaction; a 303 to the page on success (so a reload doesn't post again). */
function act(services: Services, req: HttpRequest): HttpResponse {
  const form = new URLSearchParams(req.body);
  const action = form.get("action") ?? "";
  return inTransaction(services.db, () => {
    const ctx = new BaseContext(services, "http:clinic-reply");
    const opened = open(ctx, req.params.token ?? "");
    if (opened.kind === "refused") return refused();
    if (opened.kind === "erased") return page(410, messagePage("This conversation was erased", "At your request, the clinic keeps nothing of what was written about this enquiry."));
    const { e, token } = opened;
    if (opened.kind === "expired") {
      if (action !== "fresh") return expiredPage(token);
      const last = lastEmailQueuedAt(ctx.db, e.id);
      if (last === undefined || ctx.now - last >= HOUR) emailFreshLink(ctx, e);
      return page(200, messagePage("Check your email", "If the clinic has an address for you, a fresh link is on its way (at most one an hour)."));
    }
    const back = (done: string): HttpResponse => ({ status: 303, headers: { ...HEADERS, location: `${REPLY_PATH}/${token}?done=${done}` }, body: "" });
    try {
      if (action === "message") {
        relayFromEnquirer(ctx, e, form.get("message") ?? "", { via: "page", memberId: null });
        return back("sent");
      }
      if (action === "consent" && isLive(e) && e.state !== "with-adviser") {
        giveConsent(ctx, e, "agreed on their reply page");
        return back("consent");
      }
      if (action === "withdraw" && isLive(e)) {
        takeBackConsent(ctx, e);
        return back("withdrawn");
      }
      return page(400, conversationPage(view(ctx, e, token, { error: "I didn't understand that request. Please use the buttons on this page." })));
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      // What they wrote stays in the box, so nothing is lost to a refusal.
      return page(400, conversationPage(view(ctx, e, token, { error: err.message, draft: form.get("message") ?? "" })));
    }
  });
}

function logged(services: Services, req: HttpRequest, res: HttpResponse): HttpResponse {
  const link = readReplyToken(services.db, req.params.token ?? "");
  services.log.info({ route: REPLY_PATH, method: req.method, status: res.status, ...(link ? { ref: refOf(link.enquiryId) } : {}) }, "clinic reply page");
  return res;
}

export function replyPageRoutes(services: Services): HttpRoute[] {
  return [
    { method: "GET", path: `${REPLY_PATH}/:token`, handle: (req) => logged(services, req, show(services, req)) },
    {
      method: "POST",
      path: `${REPLY_PATH}/:token`,
      handle: (req) => {
        const res = logged(services, req, act(services, req));
        if (res.status === 303 || res.status === 200) services.wake?.();
        return res;
      },
    },
  ];
}
