import { defineCapability } from "../../bot/capability.ts";
import { hello } from "./hello.ts";
import { dropFileBytesJob } from "./files.ts";
import { help } from "./help.ts";
import { more } from "./more.ts";
import { pruneJob, seedPruning } from "./prune.ts";
import { exportReminders, forgetReminders, remind, remindJob } from "./remind.ts";
import { remindCancel, remindList, remindSnooze } from "./reminders.ts";
import { roleGrant, roleList, roleRevoke } from "./role.ts";
import { whoami } from "./whoami.ts";

export const core = defineCapability({
  name: "general",
  commands: [help, hello, more, whoami, remind, remindList, remindCancel, remindSnooze, roleGrant, roleRevoke, roleList],
  jobs: [remindJob, pruneJob, dropFileBytesJob],
  seed: seedPruning,
  forgetMember: forgetReminders,
  exportMember: exportReminders,
});
