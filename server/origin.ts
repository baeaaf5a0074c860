// No imports: route handlers (bundled by Next) and the socket server both use this.

/**
 * Whether a browser's Origin is Vigil's own: the host it asked for (Host header) or the configured
 * public URL. No Origin means the caller is not a page (curl, a sensor, a script).
 */
export function originAllowed(origin: string | null | undefined, host: string | null | undefined, publicUrl?: string): boolean {
  if (!origin) return true;
  try {
    const from = new URL(origin).host;
    return from === host || (!!publicUrl && from === new URL(publicUrl).host);
  } catch {
    return false;
  }
}
