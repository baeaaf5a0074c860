CREATE TABLE `heartbeats` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`node_id` integer NOT NULL,
	`time` integer NOT NULL,
	`ok` integer NOT NULL,
	`latency_ms` real,
	`message` text,
	FOREIGN KEY (`node_id`) REFERENCES `nodes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `heartbeats_node_time` ON `heartbeats` (`node_id`,`time`);--> statement-breakpoint
CREATE INDEX `heartbeats_time` ON `heartbeats` (`time`);--> statement-breakpoint
CREATE TABLE `nodes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`kind` text DEFAULT 'server' NOT NULL,
	`parent_id` integer,
	`critical` integer DEFAULT false NOT NULL,
	`degraded_ms` real,
	`status` text DEFAULT 'unknown' NOT NULL,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`last_latency_ms` real,
	`last_check_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `nodes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `nodes_key_unique` ON `nodes` (`key`);--> statement-breakpoint
CREATE TABLE `event_minutes` (
	`minute` integer NOT NULL,
	`severity` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`minute`, `severity`)
);
--> statement-breakpoint
CREATE TABLE `security_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`time` integer NOT NULL,
	`received_at` integer NOT NULL,
	`kind` text NOT NULL,
	`severity` text NOT NULL,
	`source` text NOT NULL,
	`src_ip` text,
	`dst_ip` text,
	`user` text,
	`signature` text,
	`message` text,
	`attributes` text
);
--> statement-breakpoint
CREATE INDEX `security_events_time` ON `security_events` (`time`);--> statement-breakpoint
CREATE INDEX `security_events_kind_time` ON `security_events` (`kind`,`time`);--> statement-breakpoint
CREATE INDEX `security_events_src_time` ON `security_events` (`src_ip`,`time`);--> statement-breakpoint
CREATE TABLE `incident_timeline` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`time` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`note` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `incident_timeline_incident` ON `incident_timeline` (`incident_id`,`time`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedup_key` text NOT NULL,
	`rule` text NOT NULL,
	`entity` text NOT NULL,
	`pane` text NOT NULL,
	`title` text NOT NULL,
	`severity` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`first_seen` integer NOT NULL,
	`last_seen` integer NOT NULL,
	`count` integer DEFAULT 1 NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`acknowledged_by` text,
	`acknowledged_at` integer,
	`resolved_by` text,
	`resolved_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_active_dedup` ON `incidents` (`dedup_key`) WHERE status <> 'resolved';--> statement-breakpoint
CREATE INDEX `incidents_status_last_seen` ON `incidents` (`status`,`last_seen`);