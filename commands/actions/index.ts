// Actions & recognition: the catalogue of defined jobs, logging and
// verifying actions, thanks, fair recognition reports, the weekly digest,
// automatic actions from meetings and the clinic, and progress against the
// strategy's targets.
import { defineCapability } from "../../bot/capability.ts";
import type { BaseContext } from "../../bot/context.ts";
import { automaticActions } from "./automatic.ts";
import { jobAdd, jobEdit, jobRetire, jobShow, jobsList } from "./catalogue.ts";
import { actionsConfigSchema, seedCatalogue } from "./config.ts";
import { contributions } from "./contributions.ts";
import { actionShow, undo, voidCommand } from "./corrections.ts";
import { digestJob, seedDigest } from "./digest.ts";
import { exportActionsMember, forgetActionsMember } from "./forget.ts";
import { log } from "./log.ts";
import { nudgeSweep, seedNudges, verifyNudge } from "./nudges.ts";
import { mergeActionMembers } from "./merge.ts";
import { activists, progress, supporters } from "./progress.ts";
import { leaderboard, recognition } from "./recognition.ts";
import { thanksCommand } from "./thanks.ts";
import { reject, verify, verifyQueue } from "./verify.ts";

export const actions = defineCapability({
  name: "actions",
  commands: [
    log, thanksCommand, contributions, jobsList, jobShow, actionShow, undo, progress,
    verifyQueue, verify, reject, recognition, leaderboard,
    jobAdd, jobEdit, jobRetire, voidCommand,
  ],
  jobs: [nudgeSweep, verifyNudge, digestJob],
  config: { key: "actions", schema: actionsConfigSchema },
  seed(ctx: BaseContext) {
    seedCatalogue(ctx);
    seedDigest(ctx);
    seedNudges(ctx);
  },
  on: automaticActions,
  metrics: [activists, supporters],
  mergeMembers: mergeActionMembers,
  forgetMember: forgetActionsMember,
  exportMember: exportActionsMember,
});
