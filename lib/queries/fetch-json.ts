import type { ApiErrorBody } from "../contracts/common";

/** An HTTP answer that was not 2xx, carrying the API's error code and message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** fetch + JSON, turning the uniform error body into an HttpError. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { accept: "application/json", ...(init?.body ? { "content-type": "application/json" } : {}), ...init?.headers } });
  const body = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const error = (body as ApiErrorBody | null)?.error;
    throw new HttpError(res.status, error?.code ?? "http_error", error?.message ?? `HTTP ${res.status}`, body);
  }
  return body as T;
}
