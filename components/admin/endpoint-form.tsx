"use client";

import type { FormEvent } from "react";
import { SEVERITIES } from "@/lib/contracts/values/common";
import { ENDPOINT_FORMATS, NOTIFY_EVENTS } from "@/lib/contracts/values/notify";
import type { Endpoint } from "@/lib/contracts/notify";
import { badFields, buttonClass, fieldClass, FormError, labelClass, quietButtonClass } from "./ui";

const FORMAT_LABEL = { json: "generic JSON", slack: "Slack" } as const;

/**
 * Creates or changes a webhook endpoint. The URL is checked by the server (http/https only, no
 * user name or password): its 400 is shown as sent, naming the field. The secret field is write-only:
 * empty on create makes the server generate one; empty on edit keeps the current one.
 */
export function EndpointForm({
  endpoint,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  endpoint?: Endpoint;
  pending: boolean;
  error: Error | null;
  onSubmit: (body: Record<string, unknown>) => void;
  onCancel?: () => void;
}) {
  const bad = badFields(error);
  const label = endpoint ? `edit endpoint ${endpoint.name}` : "new endpoint";
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const secret = String(form.get("secret") ?? "");
    onSubmit({
      name: String(form.get("name") ?? ""),
      url: String(form.get("url") ?? ""),
      format: form.get("format"),
      events: form.getAll("events"),
      min_severity: form.get("min_severity"),
      enabled: form.get("enabled") === "on",
      ...(secret ? { secret } : {}),
    });
  };
  return (
    <form onSubmit={submit} aria-label={label} className="flex flex-col gap-3 rounded border border-slate-800 bg-slate-950/40 p-3">
      <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <label className={labelClass}>
          Name
          <input name="name" required maxLength={100} defaultValue={endpoint?.name} aria-label="endpoint name" aria-invalid={bad.has("name")} className={fieldClass(bad.has("name"))} />
        </label>
        <label className={labelClass}>
          URL (http or https)
          <input
            name="url"
            required
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            maxLength={2000}
            defaultValue={endpoint?.url}
            placeholder="https://hooks.example/vigil"
            aria-label="endpoint url"
            aria-invalid={bad.has("url")}
            className={`${fieldClass(bad.has("url"))} font-mono`}
          />
        </label>
      </div>
      <div className="flex flex-wrap items-end gap-x-5 gap-y-3">
        <label className={labelClass}>
          Body
          <select name="format" defaultValue={endpoint?.format ?? "json"} aria-label="endpoint format" className={fieldClass(bad.has("format"))}>
            {ENDPOINT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABEL[f]}
              </option>
            ))}
          </select>
        </label>
        <label className={labelClass}>
          For incidents at least
          <select name="min_severity" defaultValue={endpoint?.min_severity ?? "info"} aria-label="minimum severity" className={fieldClass(bad.has("min_severity"))}>
            {SEVERITIES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <fieldset className="flex flex-col gap-1">
          <legend className="mb-1 text-xs text-slate-400">Events</legend>
          <div className={`flex flex-wrap gap-x-3 gap-y-1 text-sm text-slate-200 ${bad.has("events") ? "rounded ring-1 ring-red-500" : ""}`}>
            {NOTIFY_EVENTS.map((ev) => (
              <label key={ev} className="flex items-center gap-1">
                <input type="checkbox" name="events" value={ev} defaultChecked={endpoint ? endpoint.events.includes(ev) : true} /> {ev}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="flex items-center gap-2 text-sm text-slate-200">
          <input type="checkbox" name="enabled" defaultChecked={endpoint?.enabled ?? true} /> enabled
        </label>
      </div>
      <label className={labelClass}>
        {endpoint ? "New signing secret (leave empty to keep the current one; it is never shown again)" : "Signing secret (leave empty and Vigil makes one, shown once)"}
        <input name="secret" type="password" autoComplete="new-password" maxLength={256} aria-label="signing secret" aria-invalid={bad.has("secret")} className={`${fieldClass(bad.has("secret"))} sm:max-w-md`} />
      </label>
      <FormError error={error} />
      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={pending}>
          {endpoint ? "Save endpoint" : "Create endpoint"}
        </button>
        {onCancel && (
          <button type="button" className={quietButtonClass} onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
