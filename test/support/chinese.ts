/**
 * The Latin words in a Chinese reply that are not allowed: every ASCII letter word except command
 * names after `/`, SKUs and ids (words with a digit or `-`/`_`), and the `allowed` list (brand names,
 * channel ids, user keys). An empty result means the text is Chinese end to end. A confirmation token
 * (`/confirm UNSWWN`) is random letters about one time in six, so the word after `/confirm` is skipped.
 */
export function englishWords(text: string, allowed: readonly string[] = []): string[] {
  const ok = new Set(
    [
      "UTC",
      "ID",
      "SKU",
      "p50",
      "p90",
      "zh",
      "en",
      "auto",
      "WeCom",
      "Telegram",
      "wecom",
      "tg",
      "console",
      ...allowed,
    ].map((w) => w.toLowerCase()),
  );
  const out: string[] = [];
  for (const m of text
    .replace(/\/confirm\s+\S+/g, "/confirm")
    .matchAll(/(^|[^/\w@:-])([A-Za-z][A-Za-z'.]*)(?![\w-])/g)) {
    const w = m[2]!.replace(/\.$/, "");
    if (!ok.has(w.toLowerCase())) out.push(w);
  }
  return out;
}
