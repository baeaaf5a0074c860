CREATE TABLE `node_rollup_backfill` (
	`id` integer PRIMARY KEY NOT NULL,
	`below_id` integer NOT NULL,
	`done_id` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `node_rollup_days` (
	`node_id` integer NOT NULL,
	`bucket` integer NOT NULL,
	`count` integer NOT NULL,
	`failures` integer NOT NULL,
	`sketch` blob NOT NULL,
	`p95` real,
	PRIMARY KEY(`node_id`, `bucket`)
);
--> statement-breakpoint
CREATE TABLE `node_rollup_hours` (
	`node_id` integer NOT NULL,
	`bucket` integer NOT NULL,
	`count` integer NOT NULL,
	`failures` integer NOT NULL,
	`sketch` blob NOT NULL,
	`p95` real,
	PRIMARY KEY(`node_id`, `bucket`)
);
--> statement-breakpoint
CREATE TABLE `node_rollup_minutes` (
	`node_id` integer NOT NULL,
	`bucket` integer NOT NULL,
	`count` integer NOT NULL,
	`failures` integer NOT NULL,
	`sketch` blob NOT NULL,
	`p95` real,
	PRIMARY KEY(`node_id`, `bucket`)
);
--> statement-breakpoint
CREATE TABLE `node_status_changes` (
	`node_id` integer NOT NULL,
	`at` integer NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	PRIMARY KEY(`node_id`, `at`)
);
--> statement-breakpoint
-- Written by hand (drizzle cannot declare WITHOUT ROWID): the roll-ups and the status history are
-- keyed by (node_id, bucket) / (node_id, at) alone, so a chart's or an uptime's range is one range
-- of one b-tree and an upsert writes one b-tree. The tables are new and empty: made again as such.
DROP TABLE `node_rollup_minutes`;
--> statement-breakpoint
CREATE TABLE `node_rollup_minutes` (`node_id` integer NOT NULL, `bucket` integer NOT NULL, `count` integer NOT NULL, `failures` integer NOT NULL, `sketch` blob NOT NULL, `p95` real, PRIMARY KEY(`node_id`, `bucket`)) WITHOUT ROWID;
--> statement-breakpoint
DROP TABLE `node_rollup_hours`;
--> statement-breakpoint
CREATE TABLE `node_rollup_hours` (`node_id` integer NOT NULL, `bucket` integer NOT NULL, `count` integer NOT NULL, `failures` integer NOT NULL, `sketch` blob NOT NULL, `p95` real, PRIMARY KEY(`node_id`, `bucket`)) WITHOUT ROWID;
--> statement-breakpoint
DROP TABLE `node_rollup_days`;
--> statement-breakpoint
CREATE TABLE `node_rollup_days` (`node_id` integer NOT NULL, `bucket` integer NOT NULL, `count` integer NOT NULL, `failures` integer NOT NULL, `sketch` blob NOT NULL, `p95` real, PRIMARY KEY(`node_id`, `bucket`)) WITHOUT ROWID;
--> statement-breakpoint
DROP TABLE `node_status_changes`;
--> statement-breakpoint
CREATE TABLE `node_status_changes` (`node_id` integer NOT NULL, `at` integer NOT NULL, `status` text NOT NULL, `reason` text, PRIMARY KEY(`node_id`, `at`)) WITHOUT ROWID;
--> statement-breakpoint
-- the heartbeats stored so far are rolled up at the next boot, in slices (server/network/figures-store.ts)
INSERT INTO `node_rollup_backfill` (`id`, `below_id`, `done_id`) SELECT 1, coalesce(max(`id`), 0), 0 FROM `heartbeats`;
--> statement-breakpoint
-- each node's history starts with the status it has now, from its evidence time (or its last check)
INSERT INTO `node_status_changes` (`node_id`, `at`, `status`, `reason`)
  SELECT `id`, coalesce(`status_since`, `last_check_at`), `status`, `status_reason` FROM `nodes` WHERE coalesce(`status_since`, `last_check_at`) IS NOT NULL;
