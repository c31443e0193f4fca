/** Escapes text for Telegram's HTML parse mode (only & < > need it outside tags). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Splits text into chunks of at most `limit` characters, preferring line breaks, then spaces;
 * never splits inside an HTML entity such as &amp;.
 */
export function splitText(text: string, limit: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf("\n", limit);
    if (cut < limit / 2) cut = rest.lastIndexOf(" ", limit);
    if (cut < limit / 2) cut = limit;
    const amp = rest.lastIndexOf("&", cut);
    if (amp > cut - 8 && !rest.slice(amp, cut).includes(";")) cut = amp;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, "");
  }
  if (rest.length || !out.length) out.push(rest);
  return out;
}

/** Telegram's limits: text 4096 and captions 1024 characters after entity parsing. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Telegram's caption limit. */
export const TELEGRAM_CAPTION_LIMIT = 1024;

/** Groups buttons into rows of `perRow`. */
export function rows<T>(items: T[], perRow: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += perRow) out.push(items.slice(i, i + perRow));
  return out;
}
