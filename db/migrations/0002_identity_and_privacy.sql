CREATE TABLE `reply_pages` (
	`member_id` integer PRIMARY KEY NOT NULL,
	`target` text NOT NULL,
	`pages` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `calendar_feeds` (
	`member_id` integer NOT NULL,
	`group_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`member_id`, `group_id`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feeds_token` ON `calendar_feeds` (`token_hash`);--> statement-breakpoint
ALTER TABLE `members` ADD `forgotten_at` integer;--> statement-breakpoint
ALTER TABLE `link_codes` ADD `confirmer_member_id` integer;--> statement-breakpoint
ALTER TABLE `link_codes` ADD `confirmer_platform` text;--> statement-breakpoint
ALTER TABLE `link_codes` ADD `confirmer_platform_id` text;--> statement-breakpoint
ALTER TABLE `link_codes` ADD `issuer_accepted_at` integer;--> statement-breakpoint
ALTER TABLE `link_codes` ADD `confirmer_accepted_at` integer;--> statement-breakpoint
ALTER TABLE `link_codes` ADD `outcome` text;--> statement-breakpoint
ALTER TABLE `link_codes` ADD `stranger_tries` integer DEFAULT 0 NOT NULL;