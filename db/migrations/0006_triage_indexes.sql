DROP INDEX `security_events_kind_time`;--> statement-breakpoint
DROP INDEX `security_events_severity_time`;--> statement-breakpoint
-- Written by hand (drizzle cannot declare WITHOUT ROWID): event_tallies keyed by its primary key
-- alone, so a range of buckets is read with its counts from one b-tree and an upsert writes one.
CREATE TABLE `__event_tallies_new` (
	`dim` text NOT NULL,
	`span` integer NOT NULL,
	`bucket` integer NOT NULL,
	`value` text NOT NULL,
	`count` integer NOT NULL,
	`worst` integer NOT NULL,
	PRIMARY KEY(`dim`, `span`, `bucket`, `value`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__event_tallies_new` (`dim`, `span`, `bucket`, `value`, `count`, `worst`) SELECT `dim`, `span`, `bucket`, `value`, `count`, `worst` FROM `event_tallies`;
--> statement-breakpoint
DROP TABLE `event_tallies`;
--> statement-breakpoint
ALTER TABLE `__event_tallies_new` RENAME TO `event_tallies`;
