import { renderRef } from "../../src/i18n/ref.js";
import { sharedI18n } from "../../src/i18n/translator.js";
import type { Publication } from "../../src/policy/publish.js";

/** A publication's steps as `/why` prints them in `locale` (English unless told). */
export const trailOf = (p: Pick<Publication, "steps">, locale: "en" | "zh-CN" = "en"): string[] =>
  p.steps.map((s) => renderRef(sharedI18n("UTC").translator(locale), s));
