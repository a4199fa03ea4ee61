import { defineCapability } from "../../bot/capability.ts";
import { link, linkConfirm, unlink } from "./link.ts";

export const identity = defineCapability({
  name: "accounts",
  commands: [link, linkConfirm, unlink],
});
