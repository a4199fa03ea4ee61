ALTER TABLE `actions` ADD `nudged_at` integer;--> statement-breakpoint
CREATE INDEX `actions_pending_by` ON `actions` (`logged_by`,`created_at`) WHERE state = 'pending';