// Slack's request signing (v0): what Bolt's HTTP receiver checks.
import { createHmac } from "node:crypto";

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export function signedHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": slackSignature(secret, timestamp, body) };
}
