import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "xianyu-done",
  summary: msg("cmd-xianyu-done-summary"),
  aliases: { "zh-CN": ["闲鱼完成"] },
  role: "operator",
  args: z.object({
    todo: z
      .string()
      .trim()
      .transform((s) => s.toUpperCase())
      .pipe(z.string().regex(/^X-[2-9A-HJ-NP-Z]{8}$/, { message: "must be a to-do id such as X-7K3QX9PA" }))
      .describe("TODO"),
  }),
  examples: ["/xianyu-done X-7K3QX9PA"],
  run: async ({ todo }, { deps, actor, tr }) => {
    if (deps.checklist.findPriceTodo(todo)) {
      const p = deps.checklist.completePriceTodo(todo, actor.id);
      const t = p.todo;
      if (p.kind === "done")
        return { text: tr.t("xianyu-price-done", { sku: t.sku, price: tr.money(t.price), id: t.id, who: actor.id }) };
      if (p.kind === "already_done")
        return {
          text: tr.t("xianyu-done-already", {
            id: t.id,
            who: t.closedBy ?? tr.t("xianyu-someone"),
            at: t.closedAt ? tr.dateTime(new Date(t.closedAt)) : "?",
          }),
        };
      if (p.kind === "changed")
        return {
          text: tr.t("xianyu-price-changed", {
            id: t.id,
            sku: t.sku,
            applied: tr.money(p.applied),
            price: tr.money(t.price),
          }),
          buttons: [{ label: tr.t("button-done"), action: `/xianyu-done ${t.id}` }],
        };
      return { text: tr.t("xianyu-price-stale", { id: t.id, sku: t.sku }) };
    }
    const r = deps.checklist.completeTodo(todo, actor.id);
    const t = r.todo;
    const what = t.isListed
      ? tr.t("xianyu-done-set", { sku: t.sku, qty: t.targetQty })
      : tr.t("xianyu-done-off", { sku: t.sku });
    if (r.kind === "done") return { text: tr.t("xianyu-done", { what, id: t.id, who: actor.id }) };
    if (r.kind === "already_done")
      return {
        text: tr.t("xianyu-done-already", {
          id: t.id,
          who: t.closedBy ?? tr.t("xianyu-someone"),
          at: t.closedAt ? tr.dateTime(new Date(t.closedAt)) : "?",
        }),
      };
    if (r.current) {
      const next = r.current.isListed ? tr.t("xianyu-next-set", { qty: r.current.targetQty }) : tr.t("xianyu-next-off");
      return {
        text: tr.t("xianyu-done-stale-next", { id: t.id, sku: t.sku, next: r.current.id, what: next }),
        buttons: [{ label: tr.t("button-done"), action: `/xianyu-done ${r.current.id}` }],
      };
    }
    return { text: tr.t("xianyu-done-stale", { id: t.id, sku: t.sku }) };
  },
});
