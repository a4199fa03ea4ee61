import { defineCapability } from "../../bot/capability.ts";
import { link, unlink } from "./link.ts";
import { linkAccept, linkCancel, linkConfirm } from "./link-confirm.ts";

export const identity = defineCapability({
  name: "accounts",
  commands: [link, linkConfirm, linkAccept, linkCancel, unlink],
});
