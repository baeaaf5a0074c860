"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { adminQueries } from "@/lib/queries/admin-queries";
import { fetchJson } from "@/lib/queries/fetch-json";
import { Notice } from "./ui";

/** Run-time settings; for now, whether every account must use two-factor authentication. */
export function SettingsPanel() {
  const client = useQueryClient();
  const { data } = useQuery(adminQueries.settings());
  const save = useMutation({
    mutationFn: (patch: Record<string, unknown>) => fetchJson("/api/v1/settings", { method: "PATCH", body: JSON.stringify(patch) }),
    onSuccess: () => client.invalidateQueries({ queryKey: adminQueries.settings().queryKey }),
  });
  return (
    <div className="text-sm text-slate-300">
      {save.error && <Notice tone="error">{save.error.message}</Notice>}
      <label className="flex items-start gap-3">
        <input
          type="checkbox"
          className="mt-1"
          checked={data?.settings.require_mfa_all ?? false}
          disabled={!data || save.isPending}
          onChange={(e) => save.mutate({ require_mfa_all: e.target.checked })}
        />
        <span>
          Require two-factor authentication for every account
          <span className="block text-xs text-slate-500">Admins and on-call staff always need it. Accounts without it are sent to enrol at their next request.</span>
        </span>
      </label>
    </div>
  );
}
