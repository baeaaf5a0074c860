CREATE TABLE `audit_checkpoint` (
	`id` integer PRIMARY KEY NOT NULL,
	`verified_id` integer NOT NULL,
	`hash` text NOT NULL,
	`verified_at` integer NOT NULL,
	`full_at` integer,
	`full_ok` integer,
	`full_entries` integer,
	`full_broken_id` integer,
	`full_reason` text
);
--> statement-breakpoint
CREATE TABLE `auth_throttle` (
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`failures` text DEFAULT '[]' NOT NULL,
	`locked_until` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`scope`, `key`)
);
--> statement-breakpoint
CREATE TABLE `totp_steps` (
	`user_id` text PRIMARY KEY NOT NULL,
	`last_step` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `security_events_severity_time` ON `security_events` (`severity`,`time`);--> statement-breakpoint
CREATE INDEX `incidents_last_seen` ON `incidents` (`last_seen`,`id`);--> statement-breakpoint
CREATE INDEX `incidents_pane_status_last_seen` ON `incidents` (`pane`,`status`,`last_seen`);--> statement-breakpoint
-- node keys are case-insensitive from here on, stored lower-case (a spelling that would collide keeps its row as it is)
UPDATE OR IGNORE `nodes` SET `key` = lower(`key`);