// The enquirer's reply page, as HTML: plain forms (no script), labels on
// every field, a visible focus ring, colours well past WCAG AA contrast,
// and nothing but this one enquiry's conversation. Every piece of text is
// escaped here, once.
import { unesc } from "../../bot/markup.ts";

export interface PageLine {
  who: string;
  when: string;
  text: string;
  mine: boolean;
}

export interface PageView {
  ref: string;
  federation: string;
  question: string;
  received: string;
  lines: PageLine[];
  /** "given" | "withdrawn" | "not yet" | undefined (no longer asked: with an adviser, or closed). */
  consent?: "given" | "not yet" | "withdrawn";
  open: boolean;
  notice?: string;
  error?: string;
  draft?: string;
  action: string;
}

/** Text for HTML, from either plain text or the bot's chat markup (entities, `commands`). */
export function html(text: string): string {
  return unesc(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Chat markup in a notice: backticked commands shown as code. */
const markup = (text: string) => html(text).replace(/`([^`]+)`/g, "<code>$1</code>");

const STYLE = `
body{font:1.05rem/1.5 system-ui,sans-serif;max-width:42rem;margin:0 auto;padding:1rem;color:#1a1a1a;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
.msg{border-left:4px solid #55606e;padding:.25rem .75rem;margin:.75rem 0;white-space:pre-wrap}
.msg.mine{border-color:#1d5e3a}.meta{font-size:.9rem;color:#3d3d3d;white-space:normal}
.notice{background:#e6f4ea;border:2px solid #1d5e3a;padding:.5rem .75rem}
.error{background:#fdecea;border:2px solid #a01818;padding:.5rem .75rem}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
textarea{width:100%;min-height:8rem;font:inherit;padding:.5rem;border:2px solid #55606e;box-sizing:border-box}
button{font:inherit;padding:.5rem 1rem;margin-top:.5rem;background:#1d5e3a;color:#fff;border:2px solid #1d5e3a;border-radius:4px;cursor:pointer}
button.secondary{background:#fff;color:#1d5e3a}
:focus-visible{outline:3px solid #b35900;outline-offset:2px}
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${html(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function conversation(view: PageView): string {
  const items = [
    `<li class="msg mine"><div class="meta">You wrote, ${html(view.received)}:</div>${html(view.question)}</li>`,
    ...view.lines.map((l) => `<li class="msg${l.mine ? " mine" : ""}"><div class="meta">${html(l.who)}, ${html(l.when)}:</div>${html(l.text)}</li>`),
  ];
  return `<h2 id="conversation">Conversation</h2>\n<ol style="list-style:none;padding:0">\n${items.join("\n")}\n</ol>`;
}

function replyForm(view: PageView): string {
  if (!view.open) return `<p>This enquiry is closed, so the clinic no longer takes messages about it here.</p>`;
  return `<h2 id="write">Write to the clinic</h2>
<form method="post" action="${html(view.action)}">
<input type="hidden" name="action" value="message">
<label for="message">Your message</label>
<textarea id="message" name="message" required maxlength="4000">${html(view.draft ?? "")}</textarea>
<button type="submit">Send to the clinic</button>
</form>`;
}

function consentForm(view: PageView): string {
  if (!view.consent || !view.open) return "";
  const given = view.consent === "given";
  const text = given
    ? "You agreed that the clinic may share your enquiry with an adviser from our network. You can take that back: an offer not yet accepted by an adviser is withdrawn at once."
    : "The clinic shares your enquiry with an adviser from our network only if you agree.";
  return `<h2 id="consent">Sharing with an adviser</h2>
<p>${html(text)}</p>
<form method="post" action="${html(view.action)}">
<input type="hidden" name="action" value="${given ? "withdraw" : "consent"}">
<button type="submit" class="secondary">${given ? "Withdraw my consent" : "I agree to share it with an adviser"}</button>
</form>`;
}

export function conversationPage(view: PageView): string {
  const notice = view.notice ? `<p class="notice" role="status">${markup(view.notice)}</p>` : "";
  const error = view.error ? `<p class="error" role="alert">${markup(view.error)}</p>` : "";
  const body = `<h1>Your Co-op Clinic enquiry ${html(view.ref)}</h1>
<p>${html(view.federation)}. This page is private to you: please don't share its address.</p>
${notice}${error}
${conversation(view)}
${replyForm(view)}
${consentForm(view)}`;
  return layout(`Co-op Clinic enquiry ${view.ref}`, body);
}

/** A page that isn't a conversation: a refused or expired link, an erased enquiry. */
export function messagePage(title: string, text: string, form?: { action: string; label: string }): string {
  const button = form
    ? `<form method="post" action="${html(form.action)}"><input type="hidden" name="action" value="fresh"><button type="submit">${html(form.label)}</button></form>`
    : "";
  return layout(title, `<h1>${html(title)}</h1>\n<p>${markup(text)}</p>\n${button}`);
}
