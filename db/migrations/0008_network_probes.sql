CREATE TABLE `checks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`node_id` integer NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`spec` text NOT NULL,
	`push_token_hash` text,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`node_id`) REFERENCES `nodes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `checks_node_name` ON `checks` (`node_id`,`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `checks_push_token` ON `checks` (`push_token_hash`) WHERE push_token_hash IS NOT NULL;--> statement-breakpoint
-- Hand-edited: drizzle-kit rebuilt `nodes` (CREATE __new_nodes, copy, DROP, RENAME) to change the
-- default of `status`, and its copy selected the new columns from the old table. A rebuild inside
-- the migrator's transaction cannot turn foreign keys off (PRAGMA foreign_keys is a no-op there),
-- and heartbeats, checks and nodes itself reference nodes. So the columns are added in place; the
-- column's own default stays 'unknown' in the file, and the trigger below turns any row inserted
-- without a status into 'pending' (Vigil's writers name the status anyway).
ALTER TABLE `nodes` ADD `tags` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `nodes` ADD `source` text DEFAULT 'heartbeat' NOT NULL;--> statement-breakpoint
ALTER TABLE `nodes` ADD `paused` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `nodes` ADD `state` text;--> statement-breakpoint
ALTER TABLE `nodes` ADD `settings` text;--> statement-breakpoint
ALTER TABLE `nodes` ADD `status_since` integer;--> statement-breakpoint
ALTER TABLE `nodes` ADD `status_reason` text;--> statement-breakpoint
UPDATE `nodes` SET `status` = 'pending' WHERE `status` = 'unknown';--> statement-breakpoint
CREATE TRIGGER `nodes_status_pending` AFTER INSERT ON `nodes` WHEN NEW.`status` = 'unknown' BEGIN
  UPDATE `nodes` SET `status` = 'pending' WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
ALTER TABLE `heartbeats` ADD `check_id` integer;--> statement-breakpoint
ALTER TABLE `heartbeats` ADD `error` text;
