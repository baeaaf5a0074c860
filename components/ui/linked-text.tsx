import { Fragment } from "react";

const URL_RE = /\bhttps?:\/\/[^\s<>"')\]]+/g;

/**
 * Plain text with its http(s) URLs as links: every other character stays text (React escapes it),
 * links open in a new tab without the opener or a referrer, and nothing but http(s) becomes a link
 * (no javascript:, data: or file:).
 */
export function LinkedText({ text }: { text: string }) {
  const parts: (string | { url: string })[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    // a trailing full stop or comma ends the sentence, not the URL
    const url = m[0].replace(/[.,;:!?]+$/, "");
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push({ url });
    last = m.index + url.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return (
    <>
      {parts.map((p, i) =>
        typeof p === "string" ? (
          <Fragment key={i}>{p}</Fragment>
        ) : (
          <a key={i} href={p.url} target="_blank" rel="noopener noreferrer nofollow" className="break-all text-sky-300 underline hover:text-sky-200">
            {p.url}
          </a>
        ),
      )}
    </>
  );
}
