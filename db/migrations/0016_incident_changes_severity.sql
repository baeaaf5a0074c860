-- The in-memory incident index (db/queries/incident-text.ts) now also keeps each incident's
-- severity, to count the active groups by rule, pane, status and severity without a scan: a change
-- of severity is logged too. A rise in severity is rare (growth of count and last_seen still logs
-- nothing), so bulk acknowledge and ingest pay nothing more.
DROP TRIGGER IF EXISTS `incident_text_changes_update`;--> statement-breakpoint
CREATE TRIGGER `incident_text_changes_update` AFTER UPDATE OF `status`, `pane`, `title`, `rule`, `entity`, `severity` ON `incidents`
  WHEN old.`status` IS NOT new.`status` OR old.`pane` IS NOT new.`pane` OR old.`title` IS NOT new.`title` OR old.`rule` IS NOT new.`rule` OR old.`entity` IS NOT new.`entity` OR old.`severity` IS NOT new.`severity` BEGIN
  INSERT INTO `incident_text_changes` (`incident_id`) VALUES (new.`id`);
END;
