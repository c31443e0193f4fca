/** Splits a leading `@location` off a command's free text: `"@3pl delivery"` → `{ location: "3pl", rest: "delivery" }`. */
export function splitLocation(text: string | undefined): { location: string | undefined; rest: string | undefined } {
  const m = /^@([a-z0-9][a-z0-9_-]{0,31})(?:\s+([\s\S]*))?$/.exec(text?.trim() ?? "");
  if (!m) return { location: undefined, rest: text };
  return { location: m[1], rest: m[2]?.trim() || undefined };
}
