ALTER TABLE `event_tallies` ADD `rows` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `event_tallies` ADD `first` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `event_tallies` ADD `last` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Written by hand. Tallies stored before this version knew no rows, first or last: read as one row
-- per occurrence over the whole bucket (groupings over such old ranges are as exact as that).
UPDATE `event_tallies` SET `rows` = `count`, `first` = `bucket`, `last` = `bucket` + `span` - 1;
--> statement-breakpoint
-- event_minutes keyed by its primary key alone (drizzle cannot declare WITHOUT ROWID): counts by
-- severity over a day are read from one b-tree, not through its key index into the table.
CREATE TABLE `__event_minutes_new` (
	`minute` integer NOT NULL,
	`severity` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`minute`, `severity`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__event_minutes_new` (`minute`, `severity`, `count`) SELECT `minute`, `severity`, `count` FROM `event_minutes`;
--> statement-breakpoint
DROP TABLE `event_minutes`;
--> statement-breakpoint
ALTER TABLE `__event_minutes_new` RENAME TO `event_minutes`;
