CREATE TABLE `meeting_invitations` (
	`meeting_id` integer NOT NULL,
	`occurrence` text NOT NULL,
	`member_id` integer NOT NULL,
	`group_id` integer NOT NULL,
	`occurrence_at` integer NOT NULL,
	`invited_by` integer NOT NULL,
	`invited_at` integer NOT NULL,
	PRIMARY KEY(`meeting_id`, `occurrence`, `member_id`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meeting_invitations_member` ON `meeting_invitations` (`member_id`);--> statement-breakpoint
CREATE TABLE `newcomers` (
	`member_id` integer PRIMARY KEY NOT NULL,
	`welcomed_at` integer NOT NULL,
	`via` text NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `newcomers_welcomed` ON `newcomers` (`welcomed_at`);--> statement-breakpoint
CREATE TABLE `onboarding` (
	`member_id` integer PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`step` integer DEFAULT 0 NOT NULL,
	`prompts` integer DEFAULT 0 NOT NULL,
	`started_at` integer NOT NULL,
	`prompted_at` integer NOT NULL,
	`finished_at` integer,
	`followed_up_at` integer,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `welcomes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` integer NOT NULL,
	`group_id` integer NOT NULL,
	`via` text NOT NULL,
	`by` integer,
	`note` text,
	`meeting_id` integer,
	`occurrence` text,
	`told_no_meeting` integer DEFAULT false NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `welcomes_group` ON `welcomes` (`group_id`,`at`);--> statement-breakpoint
CREATE INDEX `welcomes_member` ON `welcomes` (`member_id`,`at`);--> statement-breakpoint
ALTER TABLE `action_jobs` ADD `groups` text DEFAULT '' NOT NULL;