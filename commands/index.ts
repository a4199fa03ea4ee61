// Every capability the bot runs. Adding one is a folder under commands/ and a line here.
import type { Capability } from "../bot/capability.ts";
import { clinic } from "./clinic/index.ts";
import { core } from "./core/index.ts";
import { groups } from "./groups/index.ts";

export const capabilities: readonly Capability[] = [core, groups, clinic];
