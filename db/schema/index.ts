// Every capability's tables. drizzle-kit reads this file to generate migrations.
export * from "./core.ts";
export * from "./groups.ts";
export * from "./identity.ts";
export * from "./meetings.ts";
export * from "./actions.ts";
export * from "./clinic.ts";
export * from "./welcome.ts";
