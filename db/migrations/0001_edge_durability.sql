CREATE TABLE `inbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`event_id` text NOT NULL,
	`received_at` integer NOT NULL,
	`payload` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_event` ON `inbox` (`platform`,`event_id`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `clinic_intake_deliveries` (
	`webhook_id` text NOT NULL,
	`timestamp` integer NOT NULL,
	`body_sha256` text NOT NULL,
	`enquiry_id` integer,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`webhook_id`, `timestamp`),
	FOREIGN KEY (`enquiry_id`) REFERENCES `clinic_enquiries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `clinic_intake_deliveries_enquiry` ON `clinic_intake_deliveries` (`enquiry_id`);