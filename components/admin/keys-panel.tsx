"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { adminQueries } from "@/lib/queries/admin-queries";
import { fetchJson } from "@/lib/queries/fetch-json";
import { SCOPE_NAMES } from "@/lib/contracts/values/access";
import { clockTime } from "@/components/ui/format";
import { buttonClass, inputClass, Notice, quietButtonClass, Table, Td } from "./ui";

const when = (ms: number | null) => (ms ? `${new Date(ms).toISOString().slice(0, 10)} ${clockTime(ms)}` : "never");

/** API keys: created here and shown once, listed without their secret, revocable. */
export function KeysPanel() {
  const client = useQueryClient();
  const { data, error } = useQuery(adminQueries.keys());
  const [created, setCreated] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: adminQueries.keys().queryKey });

  const create = useMutation({
    mutationFn: (body: unknown) => fetchJson<{ token: string }>("/api/v1/keys", { method: "POST", body: JSON.stringify(body) }),
    onSuccess: ({ token }) => {
      setCreated(token);
      setFailure(null);
      void refresh();
    },
    onError: (e: Error) => setFailure(e.message),
  });
  const revoke = useMutation({
    mutationFn: (id: number) => fetchJson(`/api/v1/keys/${id}/revoke`, { method: "POST", body: "{}" }),
    onSuccess: () => void refresh(),
    onError: (e: Error) => setFailure(e.message),
  });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    create.mutate({ name: form.get("name"), owner_email: form.get("owner_email"), scopes: form.getAll("scopes") });
  };

  return (
    <div>
      {created && (
        <Notice tone="ok">
          New key, shown only now: <code aria-label="new api key" className="select-all break-all font-mono">{created}</code>
        </Notice>
      )}
      {(failure || error) && <Notice tone="error">{failure ?? error?.message}</Notice>}
      <Table label="api keys" head={["id", "name", "key", "owner", "scopes", "last used", "status", ""]}>
        {data?.keys.map((k) => (
          <tr key={k.id}>
            <Td>{k.id}</Td>
            <Td>{k.name}</Td>
            <Td mono>{k.prefix}…</Td>
            <Td>{k.owner_email}</Td>
            <Td>{k.scopes.join(", ")}</Td>
            <Td>{when(k.last_used_at)}</Td>
            <Td>{k.revoked_at ? `revoked by ${k.revoked_by}` : "active"}</Td>
            <Td>
              {!k.revoked_at && (
                <button type="button" className={quietButtonClass} onClick={() => revoke.mutate(k.id)}>
                  Revoke
                </button>
              )}
            </Td>
          </tr>
        ))}
      </Table>
      <form onSubmit={submit} aria-label="new api key" className="mt-4 flex flex-wrap items-end gap-2 border-t border-slate-800 pt-4">
        <input name="name" required placeholder="name (e.g. suricata-edge-1)" aria-label="key name" className={inputClass} />
        <input name="owner_email" type="email" required placeholder="owner email" aria-label="key owner" className={inputClass} />
        <fieldset className="flex gap-3 text-sm text-slate-300">
          {SCOPE_NAMES.map((s) => (
            <label key={s} className="flex items-center gap-1">
              <input type="checkbox" name="scopes" value={s} defaultChecked={s === "ingest" || s === "read"} /> {s}
            </label>
          ))}
        </fieldset>
        <button type="submit" className={buttonClass} disabled={create.isPending}>
          Create key
        </button>
      </form>
    </div>
  );
}
