import type { z } from "zod";

// biome-ignore lint/suspicious/noExplicitAny: zod's internal definition is untyped across schema kinds.
type Def = any;

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (let i = 0; i < 20; i++) {
    const d = defOf(cur);
    if (["optional", "default", "prefault", "nullable", "catch", "readonly", "nonoptional"].includes(d.type))
      cur = d.innerType;
    else if (d.type === "pipe") cur = d.in;
    else return cur;
  }
  return cur;
}

function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const row = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min(tmp + 1, (row[j - 1] ?? 0) + 1, prev + (x[i - 1] === y[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[y.length] ?? 0;
}

/** The known key closest to `key` (at most a third of its letters off), for "did you mean". */
export function closestKey(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = distance(key, k);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** A key the schema does not know: where, the closest known key, and the keys known there. */
export interface UnknownKey {
  path: string;
  near: string | undefined;
  known: string[];
}

/** Every key of `value` the schema does not know, as "path: unknown key "x" (did you mean "y"?)" lines. */
export function unknownKeys(schema: z.ZodType, value: unknown): string[] {
  return unknownKeyList(schema, value).map((u) =>
    u.near
      ? `${u.path}: unknown key (did you mean "${u.near}"?)`
      : `${u.path}: unknown key; known keys: ${u.known.join(", ")}`,
  );
}

/** Every key of `value` the schema does not know, with its "did you mean". */
export function unknownKeyList(schema: z.ZodType, value: unknown, path: string[] = []): UnknownKey[] {
  const s = unwrap(schema);
  const d = defOf(s);
  const at = (k: string) => [...path, k].join(".");
  if (d.type === "object" && value && typeof value === "object" && !Array.isArray(value)) {
    const shape = d.shape as Record<string, z.ZodType>;
    const out: UnknownKey[] = [];
    for (const [k, v] of Object.entries(value)) {
      const known = shape[k];
      if (known) out.push(...unknownKeyList(known, v, [...path, k]));
      else if (!d.catchall || defOf(d.catchall).type === "never") {
        out.push({ path: at(k), near: closestKey(k, Object.keys(shape)), known: Object.keys(shape) });
      }
    }
    return out;
  }
  if (d.type === "array" && Array.isArray(value))
    return value.flatMap((v, i) => unknownKeyList(d.element, v, [...path, String(i)]));
  if (d.type === "record" && value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => unknownKeyList(d.valueType, v, [...path, k]));
  if (d.type === "union" && value && typeof value === "object") {
    const options = d.options as z.ZodType[];
    const disc = d.discriminator as string | undefined;
    if (disc) {
      const want = (value as Record<string, unknown>)[disc];
      const match = options.find((o) => {
        const od = defOf(unwrap(o));
        const lit = od.shape?.[disc];
        return lit && (defOf(lit).values as unknown[] | undefined)?.includes(want);
      });
      return match ? unknownKeyList(match, value, path) : [];
    }
    const objects = options.filter((o) => defOf(unwrap(o)).type === "object");
    const only = objects.length === 1 ? objects[0] : undefined;
    if (only) return unknownKeyList(only, value, path);
  }
  return [];
}
