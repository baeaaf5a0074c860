CREATE TABLE `incident_text_changes` (
	`seq` integer PRIMARY KEY NOT NULL,
	`incident_id` integer NOT NULL
);
--> statement-breakpoint
-- Hand-written from here on (drizzle-kit cannot express triggers).
-- Every change to what the in-memory text index holds (an incident's status, pane and searchable text),
-- whichever statement or connection made it. Growth (count, last_seen, severity), assignment and
-- the rest write nothing here.
CREATE TRIGGER `incident_text_changes_insert` AFTER INSERT ON `incidents` BEGIN
  INSERT INTO `incident_text_changes` (`incident_id`) VALUES (new.`id`);
END;--> statement-breakpoint
CREATE TRIGGER `incident_text_changes_update` AFTER UPDATE OF `status`, `pane`, `title`, `rule`, `entity` ON `incidents`
  WHEN old.`status` IS NOT new.`status` OR old.`pane` IS NOT new.`pane` OR old.`title` IS NOT new.`title` OR old.`rule` IS NOT new.`rule` OR old.`entity` IS NOT new.`entity` BEGIN
  INSERT INTO `incident_text_changes` (`incident_id`) VALUES (new.`id`);
END;--> statement-breakpoint
CREATE TRIGGER `incident_text_changes_delete` AFTER DELETE ON `incidents` BEGIN
  INSERT INTO `incident_text_changes` (`incident_id`) VALUES (old.`id`);
END;--> statement-breakpoint
-- Bounded: every 4,096th change drops what is older than the newest 65,536 (seq is the rowid,
-- max + 1, so it only grows while rows remain, and the newest always remains).
CREATE TRIGGER `incident_text_changes_trim` AFTER INSERT ON `incident_text_changes` WHEN new.`seq` % 4096 = 0 BEGIN
  DELETE FROM `incident_text_changes` WHERE `seq` <= new.`seq` - 65536;
END;
