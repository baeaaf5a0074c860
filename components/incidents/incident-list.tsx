"use client";

import { useCallback, useMemo, useRef, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { IdleLink } from "@/components/ui/idle-link";
import { incidentQueries } from "@/lib/queries/live-queries";
import type { Incident, IncidentGroup } from "@/lib/contracts/incidents";
import { isPinned, pinGroup, type LiveIncidents } from "@/lib/live/apply-incidents";
import { Pane } from "@/components/ui/pane";
import { useMe } from "@/components/ui/me-context";
import { IncidentCard } from "./incident-card";
import { IncidentCounts } from "./incident-counts";
import { IncidentGroupMore, IncidentGroupRow } from "./incident-group-row";
import { groupId, incidentItems, type IncidentItem } from "./incident-items";
import { isConflict, useIncidentAction, type IncidentActionKind } from "./use-incident-action";
import { useGroupPages } from "./use-group-pages";
import { useFloodSurge } from "./use-flood-surge";
import { NO_ROWS, useAfterMount } from "@/components/ui/use-after-mount";

/**
 * Incidents that still need a person, across both panes: true counts in the header, a flood (many
 * active, or many arriving at once) collapsed into groups by rule, and a virtual list (the DOM holds the visible lines and a margin).
 */
export function IncidentList() {
  const { data, error } = useQuery(incidentQueries.active());
  const me = useMe();
  const action = useIncidentAction();
  const pages = useGroupPages();
  const client = useQueryClient();
  // the groups open in the list live with the list's data: the fold keeps their rows first, and a
  // refetch keeps them open with their first page (lib/live/apply-incidents.ts, pinned)
  const pinned = data?.pinned;
  const expanded = useMemo<ReadonlySet<string>>(() => new Set(pinned?.map(groupId)), [pinned]);
  const [errors, setErrors] = useState<Record<number, { message: string; conflict: boolean }>>({});
  const surge = useFloodSurge(data ? data.counts.open + data.counts.acknowledged : undefined);
  const { grouped, items } = useMemo(() => incidentItems(data, expanded, surge), [data, expanded, surge]);

  // stable callbacks: a change to one incident re-renders that incident's row only
  const meRef = useRef(me?.email);
  meRef.current = me?.email;
  const mutate = useRef(action.mutate);
  mutate.current = action.mutate;
  const onAction = useCallback((incident: Incident, kind: IncidentActionKind) => {
    setErrors(({ [incident.id]: _, ...rest }) => rest);
    mutate.current({ incident, action: kind, me: meRef.current }, { onError: (e) => setErrors((prev) => ({ ...prev, [incident.id]: { message: e.message, conflict: isConflict(e) } })) });
  }, []);
  const onToggle = useCallback(
    (group: IncidentGroup) => client.setQueryData<LiveIncidents>(incidentQueries.active().queryKey, (old) => (old ? pinGroup(old, group, !isPinned(old, group)) : old)),
    [client],
  );
  const mayAct = (pane: string) => !!me && !me.mfa_pending && me.permissions.includes(`incidents:${pane}`);
  const busyId = action.isPending ? action.variables?.incident.id : undefined;

  const scrollRef = useRef<HTMLDivElement>(null);
  // rows from a transition after mount: a click held while hydrating is answered first. The count
  // is the list's from the start, so its estimated height is reserved in the server's HTML and
  // nothing below it (the network pane's controls) moves when the rows come
  const mounted = useAfterMount();
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (items[index]?.kind === "incident" ? 84 : 52),
    getItemKey: (index) => items[index]?.key ?? index,
    overscan: 6,
  });
  const virtual = mounted ? virtualizer.getVirtualItems() : NO_ROWS;
  const active = data ? data.counts.open + data.counts.acknowledged : 0;

  const line = (item: IncidentItem) => {
    switch (item.kind) {
      case "group":
        return <IncidentGroupRow group={item.group} expanded={item.expanded} onToggle={onToggle} />;
      case "incident":
        return (
          <IncidentCard
            incident={item.incident}
            mayAct={mayAct(item.incident.pane)}
            busy={busyId === item.incident.id}
            error={errors[item.incident.id]}
            onAction={onAction}
          />
        );
      case "more":
        return <GroupMore item={item} pages={pages} />;
    }
  };

  return (
    <Pane
      title="Incidents"
      label="Incidents"
      className="flex-1"
      aside={
        <span className="flex items-center gap-3">
          <IncidentCounts counts={data?.counts} />
          <IdleLink href="/incidents" className="whitespace-nowrap rounded bg-slate-800 px-2 py-0.5 text-xs text-sky-300 hover:bg-slate-700">
            All &amp; bulk →
          </IdleLink>
        </span>
      }
    >
      {error && <p className="text-sm text-red-400">Could not load incidents: {error.message}</p>}
      {data && active === 0 ? (
        <p className="text-sm text-slate-400">No open incidents.</p>
      ) : (
        <div ref={scrollRef} data-grouped={grouped} className="h-full max-h-[calc(100dvh-10rem)] overflow-y-auto overscroll-contain lg:max-h-[40vh]">
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            <ul
              aria-label="incident list"
              className="absolute left-0 top-0 w-full"
              style={{ transform: `translateY(${virtual[0]?.start ?? 0}px)` }}
            >
              {virtual.map((v) => {
                const item = items[v.index];
                return (
                  <li
                    key={v.key}
                    data-index={v.index}
                    ref={virtualizer.measureElement}
                    aria-label={item.kind === "incident" ? `incident ${item.incident.title}` : item.kind === "group" ? `incident group ${item.group.rule}` : "more incidents"}
                    data-status={item.kind === "incident" ? item.incident.status : undefined}
                    className="pb-2"
                  >
                    {line(item)}
                  </li>
                );
              })}
            </ul>
          </div>
        </div>
      )}
    </Pane>
  );
}

function GroupMore({ item, pages }: { item: Extract<IncidentItem, { kind: "more" }>; pages: ReturnType<typeof useGroupPages> }) {
  const { group, cursor } = item;
  const { load } = pages;
  const onReach = useCallback(() => void load(group, cursor), [load, group, cursor]);
  const onClick = useCallback(() => void load(group, cursor, true), [load, group, cursor]);
  const id = groupId(group);
  return (
    <IncidentGroupMore
      total={group.open + group.acknowledged}
      shown={item.shown}
      loading={pages.loading.has(id)}
      error={pages.errors[id]}
      onReach={onReach}
      onClick={onClick}
    />
  );
}
