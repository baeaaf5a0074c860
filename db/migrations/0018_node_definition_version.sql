ALTER TABLE `nodes` ADD `definition_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `nodes` ADD `defined_by` text;--> statement-breakpoint
ALTER TABLE `nodes` ADD `defined_at` integer;