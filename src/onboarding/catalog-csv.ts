import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import type { CatalogItem } from "../channels/types.js";
import { InvalidInputError } from "../errors.js";

/** The columns a catalog file has (`ref` is the channel's item id, e.g. the Xianyu item id). */
export const CATALOG_COLUMNS = "ref,sku,quantity[,title]";

const ALIASES: Record<string, "ref" | "sku" | "quantity" | "title"> = {
  ref: "ref",
  item_id: "ref",
  sku: "sku",
  quantity: "quantity",
  qty: "quantity",
  title: "title",
};

/**
 * Reads a channel catalog from a CSV (`ref,sku,quantity[,title]`, any column order, `,` `;` or tab separated):
 * how a channel without a catalog API (Xianyu) is imported. A blank SKU or quantity is kept as such, so the
 * import lists it as a conflict; a quantity that is not a whole number is refused with its line.
 */
export function readCatalogCsv(file: string): CatalogItem[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new InvalidInputError(
      "file_unreadable",
      `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}.`,
    );
  }
  let rows: string[][];
  try {
    rows = parse(text, {
      delimiter: [",", ";", "\t"],
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (err) {
    throw new InvalidInputError("bad_csv", `${file} is not a readable CSV: ${(err as Error).message.split("\n")[0]}`);
  }
  const [header, ...body] = rows;
  const cols = (header ?? []).map((h) => ALIASES[h.toLowerCase()]);
  const at = (name: "ref" | "sku" | "quantity" | "title") => cols.indexOf(name);
  if (at("ref") < 0 || at("sku") < 0 || at("quantity") < 0)
    throw new InvalidInputError(
      "bad_csv_header",
      `${file} needs the columns ${CATALOG_COLUMNS}; its header is: ${(header ?? []).join(",") || "(empty)"}.`,
    );
  const out: CatalogItem[] = [];
  body.forEach((row, i) => {
    const line = i + 2;
    const cell = (name: "ref" | "sku" | "quantity" | "title") => row[at(name)] ?? "";
    const ref = cell("ref");
    if (!ref) throw new InvalidInputError("bad_csv_row", `${file} line ${line}: ref (the channel's item id) is empty.`);
    const q = cell("quantity");
    if (q !== "" && !/^\d{1,9}$/.test(q))
      throw new InvalidInputError("bad_csv_row", `${file} line ${line}: quantity "${q}" is not a whole number ≥ 0.`);
    const sku = row[at("sku")];
    out.push({
      sku: sku === undefined || sku === "" ? null : sku,
      ref,
      title: at("title") >= 0 ? cell("title") : "",
      ...(q === "" ? {} : { quantity: Number(q) }),
    });
  });
  return out;
}
