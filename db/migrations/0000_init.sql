CREATE TABLE `identities` (
	`platform` text NOT NULL,
	`platform_id` text NOT NULL,
	`member_id` integer NOT NULL,
	`display_name` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `platform_id`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `identities_member` ON `identities` (`member_id`);--> statement-breakpoint
CREATE TABLE `inbound_events` (
	`platform` text NOT NULL,
	`event_id` text NOT NULL,
	`received_at` integer NOT NULL,
	`member_id` integer,
	`command` text,
	`outcome` text NOT NULL,
	PRIMARY KEY(`platform`, `event_id`)
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`due_at` integer NOT NULL,
	`payload` text DEFAULT '{}' NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`lease_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	`note` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_key` ON `jobs` (`key`);--> statement-breakpoint
CREATE INDEX `jobs_due` ON `jobs` (`state`,`due_at`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`display_name` text NOT NULL,
	`preferred_platform` text,
	`timezone` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text DEFAULT 'post' NOT NULL,
	`platform` text NOT NULL,
	`channel` text NOT NULL,
	`target` text NOT NULL,
	`message` text NOT NULL,
	`msg_key` text,
	`updates_id` integer,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`platform_ref` text,
	`last_error` text,
	`source` text
);
--> statement-breakpoint
CREATE INDEX `outbox_pending` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_key` ON `outbox` (`msg_key`);--> statement-breakpoint
CREATE INDEX `outbox_ref` ON `outbox` (`platform`,`platform_ref`);--> statement-breakpoint
CREATE TABLE `role_grants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` integer NOT NULL,
	`role` text NOT NULL,
	`scope` text DEFAULT '' NOT NULL,
	`source` text DEFAULT 'chat' NOT NULL,
	`granted_by` integer,
	`granted_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `role_grants_unique` ON `role_grants` (`member_id`,`role`,`scope`);--> statement-breakpoint
CREATE INDEX `role_grants_role` ON `role_grants` (`role`,`scope`);--> statement-breakpoint
CREATE TABLE `group_members` (
	`group_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`joined_at` integer NOT NULL,
	`added_by` integer,
	PRIMARY KEY(`group_id`, `member_id`),
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `group_members_member` ON `group_members` (`member_id`);--> statement-breakpoint
CREATE TABLE `group_rooms` (
	`group_id` integer NOT NULL,
	`platform` text NOT NULL,
	`room_id` text NOT NULL,
	`room_name` text,
	`linked_by` integer,
	`linked_at` integer NOT NULL,
	PRIMARY KEY(`group_id`, `platform`),
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `group_rooms_room` ON `group_rooms` (`platform`,`room_id`);--> statement-breakpoint
CREATE TABLE `groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`purpose` text DEFAULT '' NOT NULL,
	`policy` text NOT NULL,
	`closed_reason` text,
	`tags` text DEFAULT '' NOT NULL,
	`cadence` text,
	`timezone` text,
	`hide_members` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`origin` text NOT NULL,
	`edited_in_chat_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `groups_slug` ON `groups` (`slug`);--> statement-breakpoint
CREATE TABLE `join_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`group_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`note` text,
	`state` text DEFAULT 'pending' NOT NULL,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	`decided_by` integer,
	`reason` text,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `join_requests_group_state` ON `join_requests` (`group_id`,`state`);--> statement-breakpoint
CREATE INDEX `join_requests_member` ON `join_requests` (`member_id`,`state`);--> statement-breakpoint
CREATE TABLE `member_profiles` (
	`member_id` integer PRIMARY KEY NOT NULL,
	`skills` text,
	`location` text,
	`industry` text,
	`interests` text,
	`suggest_networks` integer DEFAULT true NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `calendar_tokens` (
	`group_id` integer PRIMARY KEY NOT NULL,
	`token` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_tokens_token` ON `calendar_tokens` (`token`);--> statement-breakpoint
CREATE TABLE `meeting_attendance` (
	`meeting_id` integer NOT NULL,
	`occurrence` text NOT NULL,
	`member_id` integer NOT NULL,
	`group_id` integer NOT NULL,
	`occurrence_at` integer NOT NULL,
	`recorded_by` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	PRIMARY KEY(`meeting_id`, `occurrence`, `member_id`),
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meeting_attendance_when` ON `meeting_attendance` (`occurrence_at`);--> statement-breakpoint
CREATE TABLE `meeting_drafts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` integer NOT NULL,
	`action` text NOT NULL,
	`meeting_id` integer,
	`payload` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meeting_drafts_member` ON `meeting_drafts` (`member_id`,`state`);--> statement-breakpoint
CREATE TABLE `meeting_exceptions` (
	`meeting_id` integer NOT NULL,
	`occurrence` text NOT NULL,
	`kind` text NOT NULL,
	`moved_to` text,
	`moved_at` integer,
	`by` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`meeting_id`, `occurrence`),
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `meeting_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`meeting_id` integer NOT NULL,
	`occurrence` text NOT NULL,
	`kind` text NOT NULL,
	`text` text NOT NULL,
	`owner_id` integer,
	`author_id` integer NOT NULL,
	`state` text DEFAULT 'open' NOT NULL,
	`created_at` integer NOT NULL,
	`done_at` integer,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meeting_notes_occurrence` ON `meeting_notes` (`meeting_id`,`occurrence`);--> statement-breakpoint
CREATE INDEX `meeting_notes_owner` ON `meeting_notes` (`meeting_id`,`kind`,`state`);--> statement-breakpoint
CREATE TABLE `meeting_rsvps` (
	`meeting_id` integer NOT NULL,
	`occurrence` text NOT NULL,
	`member_id` integer NOT NULL,
	`answer` text NOT NULL,
	`answered_at` integer NOT NULL,
	PRIMARY KEY(`meeting_id`, `occurrence`, `member_id`),
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `meetings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`group_id` integer NOT NULL,
	`title` text NOT NULL,
	`kind` text DEFAULT 'meeting' NOT NULL,
	`start` text NOT NULL,
	`zone` text NOT NULL,
	`rrule` text,
	`duration_minutes` integer NOT NULL,
	`location` text,
	`remind_minutes` text NOT NULL,
	`state` text DEFAULT 'active' NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`next_occurrence` text,
	`next_plan_at` integer,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`cancelled_at` integer,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meetings_group` ON `meetings` (`group_id`,`state`);