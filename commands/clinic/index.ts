// The Co-op Clinic: the federation's advice service. Enquiries come in from
// chat (`clinic ask`) and the website (signed HTTP intake); triagers claim
// them (exactly one wins), categorise them and hand them to advisers in the
// directory; the outcome is recorded and counted. Each enquiry has a
// conversation between the enquirer and the clinic (relay.ts), by chat or,
// for website enquirers, by email and a private reply page. Enquiry text
// goes only to direct messages, the private triage room and the enquirer.
import { mergeClinicMembers } from "./merge.ts";
import { defineCapability } from "../../bot/capability.ts";
import { keepsClinicMessage } from "./access.ts";
import { adviserAdd, adviserAway, adviserBack, adviserRetire, advisersList } from "./advisers.ts";
import { escalateToLeads, escalateToRoom } from "./cards.ts";
import { claim, queue, reassign, release } from "./claims.ts";
import { checkTriageRoom, clinicConfigSchema } from "./config.ts";
import { exportClinicMember, forgetClinicMember } from "./forget.ts";
import { handoff, handoffAccept, handoffDecline, handoffWithdraw } from "./handoff.ts";
import { consent, consentWithdraw } from "./consent.ts";
import { forgetSentEmail, reportBouncedEmail } from "./emails.ts";
import { clinicAsk, clinicErase } from "./intake.ts";
import { relayListener } from "./relay-listener.ts";
import { replyPageRoutes } from "./reply-page.ts";
import { adviserCheckIn, resolve } from "./resolve.ts";
import { clinicMetrics, clinicStats } from "./stats.ts";
import { suggest } from "./suggest.ts";
import { enquiry, note, reply, triage } from "./triage.ts";
import { websiteRoutes } from "./website.ts";
import { onRoleRevoked } from "./role-changes.ts";
import { clinicRoomGuard } from "./guard.ts";

export const clinic = defineCapability({
  name: "clinic",
  roles: [
    { name: "triager", summary: "takes Co-op Clinic enquiries: claims, categorises, hands them to advisers" },
    { name: "triage-lead", summary: "leads the clinic's triagers: reassigns enquiries, manages the adviser directory, hears about stale ones" },
    { name: "adviser", summary: "advises on Co-op Clinic enquiries handed to them (given by `adviser add`)" },
  ],
  commands: [
    clinicAsk, consent, consentWithdraw, enquiry, clinicErase,
    claim, release, reassign, queue, triage, note, reply, suggest,
    handoff, handoffAccept, handoffDecline, handoffWithdraw, resolve,
    adviserAdd, adviserRetire, advisersList, adviserAway, adviserBack, clinicStats,
  ],
  jobs: [escalateToRoom, escalateToLeads, adviserCheckIn, forgetSentEmail],
  listeners: [relayListener],
  config: { key: "clinic", schema: clinicConfigSchema },
  seed: checkTriageRoom,
  http: (services) => [...websiteRoutes(services), ...replyPageRoutes(services)],
  undeliverable: reportBouncedEmail,
  metrics: clinicMetrics,
  mergeMembers: mergeClinicMembers,
  on: { "role.revoked": onRoleRevoked },
  roomGuards: [clinicRoomGuard],
  forgetMember: forgetClinicMember,
  exportMember: exportClinicMember,
  keepsMessage: keepsClinicMessage,
});
