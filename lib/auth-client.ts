/** Calls a better-auth endpoint under /api/auth; failures become an Error with the server's message. */
export async function authCall<T = Record<string, unknown>>(path: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`/api/auth${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const data = (await res.json().catch(() => ({}))) as T & { message?: string; code?: string };
  if (!res.ok) throw new Error(data.message || `request failed (${res.status})`);
  return data;
}
