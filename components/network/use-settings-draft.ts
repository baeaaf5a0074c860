import { useState } from "react";
import type { NodeDetail } from "@/lib/contracts/network";
import { formatTags } from "@/lib/queries/node-queries";
import { intervalsOf } from "./check-model";

/** What the settings form holds, as typed. */
export interface SettingsFields {
  threshold: string;
  failures: string;
  successes: string;
  parent: string;
  tags: string;
  /** each check's interval as typed, by check id (absent: as read) */
  intervals: Record<string, string>;
}

const fieldsOf = (d: NodeDetail): SettingsFields => ({
  threshold: d.settings?.latency_threshold_ms?.toString() ?? "",
  failures: d.settings?.failures_before_down?.toString() ?? "",
  successes: d.settings?.successes_before_up?.toString() ?? "",
  parent: d.settings?.parent ?? "",
  tags: formatTags(d.node.tags),
  intervals: {},
});

/** The node as the form read it: its version, each check's interval, and what the form shows as one text to compare. */
const readOf = (d: NodeDetail) => {
  const intervals = intervalsOf(d.definition?.checks ?? []);
  return { version: d.definition?.version, intervals, shown: JSON.stringify([d.settings ?? null, d.node.tags, intervals]) };
};

/**
 * The settings form's fields and the version they were read at (a save is made on it, so a change
 * made since is refused rather than overwritten). A newer read of the node fills untouched fields
 * again; with edits in progress its version is taken only when what the form shows is unchanged
 * (a maintenance window added, say), so an edit never silently replaces someone else's.
 */
export function useSettingsDraft(data: NodeDetail) {
  const [fields, setFields] = useState(() => fieldsOf(data));
  const [read, setRead] = useState(() => readOf(data));
  const [touched, setTouched] = useState(false);
  const fresh = readOf(data);
  if (fresh.version !== read.version) {
    if (!touched) {
      setFields(fieldsOf(data));
      setRead(fresh);
    } else if (fresh.shown === read.shown) setRead(fresh);
  }
  return {
    fields,
    read,
    set: <K extends keyof SettingsFields>(key: K, value: SettingsFields[K]) => {
      setTouched(true);
      setFields((f) => ({ ...f, [key]: value }));
    },
    /** Saved: the next read of the node fills the fields. */
    saved: () => setTouched(false),
    /** Fills every field from the node as read now (someone else's change loaded). */
    fill: (d: NodeDetail) => {
      setFields(fieldsOf(d));
      setRead(readOf(d));
      setTouched(false);
    },
  };
}
