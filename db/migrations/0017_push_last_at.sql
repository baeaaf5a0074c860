ALTER TABLE `checks` ADD `last_push_at` integer;
--> statement-breakpoint
-- hand-written: push checks stored before this keep their last push, read from their stored results (a missed push is stored as a failure saying "no push within …")
UPDATE `checks` SET `last_push_at` = (SELECT max(h.`time`) FROM `heartbeats` h WHERE h.`node_id` = `checks`.`node_id` AND h.`check_id` = `checks`.`id` AND (h.`ok` = 1 OR h.`error` IS NULL OR h.`error` NOT LIKE 'no push within %')) WHERE `type` = 'push';
