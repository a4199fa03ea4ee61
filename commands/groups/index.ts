// Working groups and peer networks: the directory, joining (open, with a
// driver's approval, or closed), drivers, rooms and member profiles.
import { defineCapability } from "../../bot/capability.ts";
import type { MetricSpec } from "../../bot/domain.ts";
import { driverScope, getGroup, networkMemberCount } from "../../db/groups.ts";
import { driverAdd, driverRemove, groupAdd, groupArchive, groupCreate, groupEdit, groupLink, groupRemove, groupUnlink } from "./admin.ts";
import { groupsConfigSchema, seedGroups } from "./config.ts";
import { groupMembersList, groupShow, groupsList } from "./directory.ts";
import { exportGroupsMember, forgetGroupsMember } from "./forget.ts";
import { approve, decline, escalateRequest, join, keepsRequestCard, leave, remindRequest, requests } from "./join.ts";
import { matchGroup } from "./lookup.ts";
import { profileSet, profileShow, volunteers } from "./profile.ts";

/** Joined is not attended: shown beside the participants figure so the two aren't confused. */
const networkMembers: MetricSpec = {
  key: "groups.network-members",
  label: "Peer network members (joined a network)",
  compute: (ctx, range) => networkMemberCount(ctx.db, range),
  after: "meetings.network-participants",
};

export const groups = defineCapability({
  name: "groups",
  roles: [
    {
      name: "driver",
      summary: "runs a group: approves joins, schedules meetings, verifies actions",
      scope: {
        noun: "group",
        resolve: (ctx, text) => {
          const match = matchGroup(ctx, text);
          return match.kind === "found" ? { scope: driverScope(match.group.id), label: match.group.name } : undefined;
        },
        describe: (ctx, scope) => getGroup(ctx.db, Number(scope.replace("group:", "")))?.name ?? scope,
      },
    },
  ],
  commands: [
    groupsList, groupShow, groupMembersList, join, leave, approve, decline, requests,
    profileShow, profileSet, volunteers,
    groupCreate, groupEdit, groupArchive, driverAdd, driverRemove, groupAdd, groupRemove, groupLink, groupUnlink,
  ],
  jobs: [remindRequest, escalateRequest],
  metrics: [networkMembers],
  config: { key: "groups", schema: groupsConfigSchema },
  seed: seedGroups,
  keepsMessage: keepsRequestCard,
  forgetMember: forgetGroupsMember,
  exportMember: exportGroupsMember,
});
