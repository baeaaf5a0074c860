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