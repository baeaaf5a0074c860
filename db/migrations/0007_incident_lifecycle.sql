ALTER TABLE `incidents` ADD `assignee` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `snoozed_until` integer;--> statement-breakpoint
ALTER TABLE `incidents` ADD `resolution` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `previous_id` integer;--> statement-breakpoint
CREATE INDEX `incidents_dedup_key` ON `incidents` (`dedup_key`,`id`);--> statement-breakpoint
CREATE INDEX `incidents_snoozed_until` ON `incidents` (`snoozed_until`) WHERE snoozed_until IS NOT NULL;--> statement-breakpoint
CREATE INDEX `incident_timeline_action_time` ON `incident_timeline` (`action`,`time`,`incident_id`);--> statement-breakpoint
CREATE TRIGGER `incidents_previous` AFTER INSERT ON `incidents` BEGIN
  UPDATE `incidents` SET `previous_id` = (SELECT max(`id`) FROM `incidents` WHERE `dedup_key` = NEW.`dedup_key` AND `id` < NEW.`id`) WHERE `id` = NEW.`id`;
END;
