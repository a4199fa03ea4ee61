// Members' own data: `export me` (a copy, privately) and `forget me` (erase
// it, keeping anonymous counts). Every capability takes part through its
// `exportMember` and `forgetMember` hooks; this folder only orchestrates.
import { defineCapability } from "../../bot/capability.ts";
import { exportMe } from "./export.ts";
import { forgetMe, forgetMeConfirm, forgetWindow } from "./forget.ts";

export const privacy = defineCapability({
  name: "your data",
  commands: [exportMe, forgetMe, forgetMeConfirm],
  jobs: [forgetWindow],
});
