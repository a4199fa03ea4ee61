CREATE TABLE `clinic_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`enquiry_id` integer NOT NULL,
	`direction` text NOT NULL,
	`author_id` integer,
	`via` text NOT NULL,
	`text` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`enquiry_id`) REFERENCES `clinic_enquiries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `clinic_messages_enquiry` ON `clinic_messages` (`enquiry_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `clinic_enquiries` ADD `consent_withdrawn_at` integer;