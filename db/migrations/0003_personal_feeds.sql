DROP TABLE `calendar_tokens`;--> statement-breakpoint
ALTER TABLE `calendar_feeds` ADD `nonce` text NOT NULL;