CREATE TABLE `incident_checklist` (
	`incident_id` integer NOT NULL,
	`step_id` text NOT NULL,
	`position` integer NOT NULL,
	`plan_id` integer NOT NULL,
	`text` text NOT NULL,
	`phase` text NOT NULL,
	`required` integer NOT NULL,
	`done_by` text,
	`done_at` integer,
	PRIMARY KEY(`incident_id`, `step_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `incident_links` (
	`a` integer NOT NULL,
	`b` integer NOT NULL,
	`kind` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`a`, `b`),
	FOREIGN KEY (`a`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`b`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `incident_links_b` ON `incident_links` (`b`);--> statement-breakpoint
CREATE TABLE `response_plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`rule` text,
	`severity` text,
	`runbook_url` text,
	`steps` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `response_plans_match` ON `response_plans` (coalesce(`rule`, ''), coalesce(`severity`, ''));--> statement-breakpoint
CREATE TABLE `silences` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`matcher` text NOT NULL,
	`reason` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`ended_at` integer,
	`ended_by` text,
	`hits` integer DEFAULT 0 NOT NULL,
	`last_hit_at` integer
);
--> statement-breakpoint
CREATE INDEX `silences_ends_at` ON `silences` (`ends_at`);