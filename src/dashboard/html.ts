import { createRequire } from "node:module";

// preact builds the pages and preact-render-to-string turns them into HTML, escaping every text child and
// attribute value. They are loaded through require with the small typed surface below because preact's own
// type declarations pull the DOM library into the whole program's globals (they would retype fetch, Buffer
// bodies and more for every other module).

/** A rendered-later element (a preact vnode). */
export interface Node {
  readonly type: unknown;
  readonly props: unknown;
}
/** What may appear as a child: text and numbers are escaped; null, undefined and false render nothing. */
export type Child = Node | string | number | boolean | null | undefined | readonly Child[];
/** Attribute values: strings and numbers are escaped, `true` renders the bare attribute, false/undefined omit it. */
export type Attrs = Readonly<Record<string, string | number | boolean | null | undefined>>;

const require = createRequire(import.meta.url);
const preact = require("preact") as { h(type: string, props: Attrs | null, ...children: Child[]): Node };
const renderer = require("preact-render-to-string") as { render(node: Node): string };

/** An element: `h("td", { class: "x" }, value)`. */
export const h = (tag: string, attrs: Attrs | null, ...children: Child[]): Node => preact.h(tag, attrs, ...children);

/** The element as escaped HTML. */
export const renderHtml = (node: Node): string => renderer.render(node);
