"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { adminQueries } from "@/lib/queries/admin-queries";
import { fetchJson } from "@/lib/queries/fetch-json";
import { ROLE_NAMES } from "@/lib/contracts/values/access";
import { buttonClass, inputClass, Notice, quietButtonClass, Table, Td } from "./ui";

/** Accounts: create, change role, disable. */
export function UsersPanel() {
  const client = useQueryClient();
  const { data, error } = useQuery(adminQueries.users());
  const [message, setMessage] = useState<{ tone: "error" | "ok"; text: string } | null>(null);
  const done = (text: string) => {
    setMessage({ tone: "ok", text });
    void client.invalidateQueries({ queryKey: adminQueries.all() });
  };
  const fail = (e: Error) => setMessage({ tone: "error", text: e.message });

  const create = useMutation({
    mutationFn: (body: Record<string, string>) => fetchJson("/api/v1/users", { method: "POST", body: JSON.stringify(body) }),
    onSuccess: (_d, body) => done(`Created ${body.email}`),
    onError: fail,
  });
  const update = useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: Record<string, unknown> }) => fetchJson(`/api/v1/users/${id}`, { method: "PATCH", body: JSON.stringify(patch) }),
    onSuccess: () => done("Saved"),
    onError: fail,
  });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body = Object.fromEntries(["email", "name", "role", "password"].map((k) => [k, String(form.get(k) ?? "")]).filter(([, v]) => v));
    create.mutate(body);
    e.currentTarget.reset();
  };

  return (
    <div>
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      {error && <Notice tone="error">{error.message}</Notice>}
      <Table label="users" head={["email", "name", "role", "two-factor", "status", ""]}>
        {data?.users.map((u) => (
          <tr key={u.id}>
            <Td>{u.email}</Td>
            <Td>{u.name}</Td>
            <Td>
              <select
                aria-label={`role of ${u.email}`}
                value={u.role}
                className={inputClass}
                onChange={(e) => update.mutate({ id: u.id, patch: { role: e.target.value } })}
              >
                {ROLE_NAMES.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </Td>
            <Td>{u.two_factor_enabled ? "on" : "off"}</Td>
            <Td>{u.disabled ? "disabled" : "active"}</Td>
            <Td>
              <button type="button" className={quietButtonClass} onClick={() => update.mutate({ id: u.id, patch: { disabled: !u.disabled } })}>
                {u.disabled ? "Enable" : "Disable"}
              </button>
            </Td>
          </tr>
        ))}
      </Table>
      <form onSubmit={submit} aria-label="new user" className="mt-4 flex flex-wrap items-end gap-2 border-t border-slate-800 pt-4">
        <input name="email" type="email" required placeholder="email" aria-label="new user email" className={inputClass} />
        <input name="name" placeholder="name" aria-label="new user name" className={inputClass} />
        <select name="role" aria-label="new user role" defaultValue="viewer" className={inputClass}>
          {ROLE_NAMES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <input name="password" type="password" minLength={12} required placeholder="initial password (12+)" aria-label="new user password" autoComplete="new-password" className={inputClass} />
        <button type="submit" className={buttonClass} disabled={create.isPending}>
          Create user
        </button>
      </form>
    </div>
  );
}
