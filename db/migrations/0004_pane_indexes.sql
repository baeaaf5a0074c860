CREATE INDEX `nodes_status_name` ON `nodes` (`status`,`name`,`id`);--> statement-breakpoint
CREATE INDEX `security_events_kind_severity_time` ON `security_events` (`kind`,`severity`,`time`);--> statement-breakpoint
CREATE INDEX `incidents_status_pane_rule_severity` ON `incidents` (`status`,`pane`,`rule`,`severity`,`last_seen`);