CREATE TABLE `event_tallies` (
	`dim` text NOT NULL,
	`span` integer NOT NULL,
	`bucket` integer NOT NULL,
	`value` text NOT NULL,
	`count` integer NOT NULL,
	`worst` integer NOT NULL,
	PRIMARY KEY(`dim`, `span`, `bucket`, `value`)
);
--> statement-breakpoint
CREATE TABLE `incident_events` (
	`incident_id` integer NOT NULL,
	`event_id` integer NOT NULL,
	PRIMARY KEY(`incident_id`, `event_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `incident_events_event` ON `incident_events` (`event_id`);--> statement-breakpoint
ALTER TABLE `security_events` ADD `service` text;--> statement-breakpoint
ALTER TABLE `security_events` ADD `src_host` text;--> statement-breakpoint
ALTER TABLE `security_events` ADD `src_port` integer;--> statement-breakpoint
ALTER TABLE `security_events` ADD `dst_port` integer;--> statement-breakpoint
ALTER TABLE `security_events` ADD `proto` text;--> statement-breakpoint
ALTER TABLE `security_events` ADD `occurrences` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `security_events` ADD `fingerprint` text;--> statement-breakpoint
ALTER TABLE `security_events` ADD `raw` text;--> statement-breakpoint
CREATE UNIQUE INDEX `security_events_fingerprint` ON `security_events` (`fingerprint`) WHERE fingerprint IS NOT NULL;--> statement-breakpoint
CREATE INDEX `security_events_src_host_time` ON `security_events` (`src_host`,`time`) WHERE src_host IS NOT NULL;--> statement-breakpoint
CREATE INDEX `security_events_user_time` ON `security_events` (`user`,`time`) WHERE user IS NOT NULL;--> statement-breakpoint
CREATE INDEX `security_events_signature_time` ON `security_events` (`signature`,`time`) WHERE signature IS NOT NULL;--> statement-breakpoint
ALTER TABLE `incidents` ADD `explanation` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `mitre` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `details` text;