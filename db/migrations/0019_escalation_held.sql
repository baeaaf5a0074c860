ALTER TABLE `notify_escalations` ADD `held_at` integer;--> statement-breakpoint
ALTER TABLE `notify_escalations` ADD `held_ms` integer DEFAULT 0 NOT NULL;