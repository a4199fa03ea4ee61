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
	`id` integer PRIMARY KEY NOT NULL,
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
CREATE INDEX `jobs_due` ON `jobs` (`due_at`) WHERE state = 'pending';--> statement-breakpoint
CREATE TABLE `members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`display_name` text NOT NULL,
	`preferred_platform` text,
	`timezone` text,
	`created_at` integer NOT NULL,
	`merged_into` integer
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY NOT NULL,
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
	`lease_owner` text,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`platform_ref` text,
	`last_error` text,
	`source` text
);
--> statement-breakpoint
CREATE INDEX `outbox_channel_pending` ON `outbox` (`channel`,`id`) WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX `outbox_key` ON `outbox` (`msg_key`) WHERE msg_key is not null;--> statement-breakpoint
CREATE INDEX `outbox_ref` ON `outbox` (`platform`,`platform_ref`) WHERE platform_ref is not null;--> statement-breakpoint
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
CREATE TABLE `link_codes` (
	`id` integer PRIMARY KEY NOT NULL,
	`member_id` integer NOT NULL,
	`to_platform` text NOT NULL,
	`code_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `link_codes_hash` ON `link_codes` (`code_hash`);--> statement-breakpoint
CREATE INDEX `link_codes_member` ON `link_codes` (`member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `link_failures` (
	`id` integer PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`platform_id` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `link_failures_who` ON `link_failures` (`platform`,`platform_id`,`at`);--> statement-breakpoint
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
CREATE INDEX `meetings_group` ON `meetings` (`group_id`,`state`);--> statement-breakpoint
CREATE TABLE `action_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`journey` text NOT NULL,
	`effort` text DEFAULT '' NOT NULL,
	`weight` real DEFAULT 1 NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`origin` text NOT NULL,
	`edited_in_chat_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `action_jobs_slug` ON `action_jobs` (`slug`);--> statement-breakpoint
CREATE TABLE `action_trail` (
	`id` integer PRIMARY KEY NOT NULL,
	`action_id` integer NOT NULL,
	`what` text NOT NULL,
	`by` integer,
	`at` integer NOT NULL,
	`note` text,
	FOREIGN KEY (`action_id`) REFERENCES `actions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `action_trail_action` ON `action_trail` (`action_id`);--> statement-breakpoint
CREATE TABLE `actions` (
	`id` integer PRIMARY KEY NOT NULL,
	`member_id` integer NOT NULL,
	`logged_by` integer NOT NULL,
	`job_id` integer,
	`note` text DEFAULT '' NOT NULL,
	`group_id` integer,
	`hours` real,
	`evidence` text,
	`done_at` integer NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`source` text,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	`decided_by` integer,
	`reason` text,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`logged_by`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`job_id`) REFERENCES `action_jobs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `actions_source` ON `actions` (`source`,`member_id`,`job_id`) WHERE source is not null;--> statement-breakpoint
CREATE INDEX `actions_state` ON `actions` (`state`,`group_id`);--> statement-breakpoint
CREATE INDEX `actions_member` ON `actions` (`member_id`,`done_at`);--> statement-breakpoint
CREATE TABLE `thanks` (
	`id` integer PRIMARY KEY NOT NULL,
	`giver_id` integer NOT NULL,
	`reason` text NOT NULL,
	`value` text,
	`public` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`giver_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `thanks_giver` ON `thanks` (`giver_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `thanks_recipients` (
	`thanks_id` integer NOT NULL,
	`recipient_id` integer NOT NULL,
	`weight` real NOT NULL,
	`nth` integer NOT NULL,
	PRIMARY KEY(`thanks_id`, `recipient_id`),
	FOREIGN KEY (`thanks_id`) REFERENCES `thanks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recipient_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `thanks_recipients_recipient` ON `thanks_recipients` (`recipient_id`);--> statement-breakpoint
CREATE TABLE `clinic_advisers` (
	`member_id` integer PRIMARY KEY NOT NULL,
	`specialisms` text NOT NULL,
	`region` text,
	`capacity` integer NOT NULL,
	`away_until` integer,
	`added_by` integer,
	`added_at` integer NOT NULL,
	`retired_at` integer,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `clinic_enquiries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`asker_id` integer,
	`asker_platform` text,
	`contact_name` text,
	`contact_email` text,
	`contact_coop` text,
	`text` text,
	`category_hint` text,
	`category` text,
	`urgency` text,
	`region` text,
	`consent_at` integer,
	`consent_how` text,
	`state` text DEFAULT 'open' NOT NULL,
	`claimed_by` integer,
	`claimed_at` integer,
	`first_claimed_at` integer,
	`round` integer DEFAULT 0 NOT NULL,
	`adviser_id` integer,
	`outcome` text,
	`resolved_at` integer,
	`resolved_by` integer,
	`erased_at` integer,
	`idempotency_key` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`asker_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`claimed_by`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`adviser_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `clinic_enquiries_idempotency` ON `clinic_enquiries` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `clinic_enquiries_state` ON `clinic_enquiries` (`state`,`created_at`);--> statement-breakpoint
CREATE INDEX `clinic_enquiries_asker` ON `clinic_enquiries` (`asker_id`);--> statement-breakpoint
CREATE INDEX `clinic_enquiries_created` ON `clinic_enquiries` (`created_at`);--> statement-breakpoint
CREATE TABLE `clinic_handoffs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`enquiry_id` integer NOT NULL,
	`adviser_id` integer NOT NULL,
	`offered_by` integer NOT NULL,
	`note` text,
	`state` text DEFAULT 'offered' NOT NULL,
	`offered_at` integer NOT NULL,
	`decided_at` integer,
	`decline_reason` text,
	`resolved_at` integer,
	`last_activity_at` integer NOT NULL,
	FOREIGN KEY (`enquiry_id`) REFERENCES `clinic_enquiries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`adviser_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`offered_by`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `clinic_handoffs_adviser` ON `clinic_handoffs` (`adviser_id`,`state`);--> statement-breakpoint
CREATE UNIQUE INDEX `clinic_handoffs_live` ON `clinic_handoffs` (`enquiry_id`) WHERE state in ('offered', 'accepted');--> statement-breakpoint
CREATE TABLE `clinic_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`enquiry_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`kind` text NOT NULL,
	`text` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`enquiry_id`) REFERENCES `clinic_enquiries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `clinic_notes_enquiry` ON `clinic_notes` (`enquiry_id`);--> statement-breakpoint
CREATE TABLE `clinic_transactions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`handoff_id` integer NOT NULL,
	`enquiry_id` integer NOT NULL,
	`enquirer_id` integer,
	`adviser_id` integer NOT NULL,
	`triager_id` integer,
	`category` text,
	`started_at` integer NOT NULL,
	`resolved_at` integer,
	FOREIGN KEY (`handoff_id`) REFERENCES `clinic_handoffs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`enquiry_id`) REFERENCES `clinic_enquiries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`adviser_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `clinic_transactions_handoff` ON `clinic_transactions` (`handoff_id`);--> statement-breakpoint
CREATE INDEX `clinic_transactions_started` ON `clinic_transactions` (`started_at`);