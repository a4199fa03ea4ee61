// A file that comes with a message (an .ics from `meeting ics`), uploaded
// with `files.uploadV2` (files.getUploadURLExternal, the upload, then
// files.completeUploadExternal) into the channel the message went to. Needs
// the `files:write` scope. Uploads carry no metadata, so a resend after a
// crash may upload the file twice (the message itself is still found and
// not doubled): at least once.
import type { webApi } from "@slack/bolt";
import type { OutboundFile } from "../../bot/events.ts";

export async function uploadFile(client: webApi.WebClient, channel: string, file: OutboundFile, thread?: string): Promise<void> {
  const upload = { channel_id: channel, file: Buffer.from(file.content, "utf8"), filename: file.name, title: file.name };
  await client.filesUploadV2(thread ? { ...upload, thread_ts: thread } : upload);
}
