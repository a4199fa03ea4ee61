// Every capability the bot runs. Adding one is a folder under commands/ and a line here.
import type { Capability } from "../bot/capability.ts";
import { actions } from "./actions/index.ts";
import { clinic } from "./clinic/index.ts";
import { core } from "./core/index.ts";
import { groups } from "./groups/index.ts";
import { identity } from "./identity/index.ts";
import { meetings } from "./meetings/index.ts";
import { privacy } from "./privacy/index.ts";
import { reports } from "./reports/index.ts";
import { welcomeCapability } from "./welcome/index.ts";

// welcome goes last: its listener takes the DM lines no command (and no other listener) wanted.
export const capabilities: readonly Capability[] = [core, identity, groups, meetings, actions, clinic, privacy, reports, welcomeCapability];
