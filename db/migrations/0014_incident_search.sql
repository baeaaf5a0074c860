DROP INDEX `incidents_assignee_last_seen`;--> statement-breakpoint
ALTER TABLE `incidents` ADD `updated_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `incidents` ADD `severity_rank` integer GENERATED ALWAYS AS (CASE "severity" WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END) VIRTUAL;--> statement-breakpoint
CREATE INDEX `incidents_assignee_status_last_seen` ON `incidents` (`assignee`,`status`,`last_seen`);--> statement-breakpoint
CREATE INDEX `incidents_status_first_seen` ON `incidents` (`status`,`first_seen`);--> statement-breakpoint
CREATE INDEX `incidents_status_updated_at` ON `incidents` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `incidents_status_severity_rank` ON `incidents` (`status`,`severity_rank`,`last_seen`);--> statement-breakpoint
CREATE INDEX `incidents_status_rule_last_seen` ON `incidents` (`status`,`rule`,`last_seen`);--> statement-breakpoint
-- Hand-written from here on (drizzle-kit cannot express triggers or FTS5).
-- updated_at: the newest timeline entry, first_seen until there is one; kept by the two triggers.
UPDATE `incidents` SET `updated_at` = max(`first_seen`, coalesce((SELECT max(`time`) FROM `incident_timeline` WHERE `incident_id` = `incidents`.`id`), 0));--> statement-breakpoint
CREATE TRIGGER `incidents_updated_at_insert` AFTER INSERT ON `incidents` WHEN new.`updated_at` = 0 BEGIN
  UPDATE `incidents` SET `updated_at` = new.`first_seen` WHERE `id` = new.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `incident_timeline_updated_at` AFTER INSERT ON `incident_timeline` BEGIN
  UPDATE `incidents` SET `updated_at` = new.`time` WHERE `id` = new.`incident_id` AND `updated_at` < new.`time`;
END;--> statement-breakpoint
-- The incident list's free text: substrings (3 characters or more) of title, rule and entity,
-- case-insensitive, through a trigram index. External content: the text itself stays in incidents.
CREATE VIRTUAL TABLE `incident_search` USING fts5(`title`, `rule`, `entity`, content='incidents', content_rowid='id', tokenize='trigram');--> statement-breakpoint
INSERT INTO `incident_search` (`incident_search`) VALUES ('rebuild');--> statement-breakpoint
CREATE TRIGGER `incident_search_insert` AFTER INSERT ON `incidents` BEGIN
  INSERT INTO `incident_search` (`rowid`, `title`, `rule`, `entity`) VALUES (new.`id`, new.`title`, new.`rule`, new.`entity`);
END;--> statement-breakpoint
CREATE TRIGGER `incident_search_delete` AFTER DELETE ON `incidents` BEGIN
  INSERT INTO `incident_search` (`incident_search`, `rowid`, `title`, `rule`, `entity`) VALUES ('delete', old.`id`, old.`title`, old.`rule`, old.`entity`);
END;--> statement-breakpoint
CREATE TRIGGER `incident_search_update` AFTER UPDATE OF `title`, `rule`, `entity` ON `incidents`
  WHEN old.`title` IS NOT new.`title` OR old.`rule` IS NOT new.`rule` OR old.`entity` IS NOT new.`entity` BEGIN
  INSERT INTO `incident_search` (`incident_search`, `rowid`, `title`, `rule`, `entity`) VALUES ('delete', old.`id`, old.`title`, old.`rule`, old.`entity`);
  INSERT INTO `incident_search` (`rowid`, `title`, `rule`, `entity`) VALUES (new.`id`, new.`title`, new.`rule`, new.`entity`);
END;
