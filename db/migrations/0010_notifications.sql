CREATE TABLE `escalation_policies` (
	`severity` text PRIMARY KEY NOT NULL,
	`levels` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notify_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`outbox_id` integer NOT NULL,
	`attempt` integer NOT NULL,
	`started_at` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`status_code` integer,
	`error` text,
	`ok` integer NOT NULL,
	FOREIGN KEY (`outbox_id`) REFERENCES `notify_outbox`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notify_attempts_outbox` ON `notify_attempts` (`outbox_id`,`attempt`);--> statement-breakpoint
CREATE TABLE `notify_endpoints` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`format` text NOT NULL,
	`secret` text NOT NULL,
	`events` text NOT NULL,
	`min_severity` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE TABLE `notify_escalations` (
	`incident_id` integer PRIMARY KEY NOT NULL,
	`severity` text NOT NULL,
	`started_at` integer NOT NULL,
	`level` integer NOT NULL,
	`next_at` integer
);
--> statement-breakpoint
CREATE INDEX `notify_escalations_next` ON `notify_escalations` (`next_at`) WHERE next_at IS NOT NULL;--> statement-breakpoint
CREATE TABLE `notify_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer,
	`endpoint_id` integer NOT NULL,
	`event` text NOT NULL,
	`level` integer,
	`incident` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	`last_status_code` integer,
	`last_error` text,
	FOREIGN KEY (`endpoint_id`) REFERENCES `notify_endpoints`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notify_outbox_due` ON `notify_outbox` (`endpoint_id`,`next_attempt_at`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `notify_outbox_incident` ON `notify_outbox` (`incident_id`,`id`);--> statement-breakpoint
CREATE INDEX `notify_outbox_endpoint` ON `notify_outbox` (`endpoint_id`,`id`);--> statement-breakpoint
CREATE TABLE `notify_seen` (
	`incident_id` integer PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`version` integer NOT NULL
);
