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
  run: async ({ todo }, { deps, actor }) => {
    const r = deps.checklist.completeTodo(todo, actor.id);
    const t = r.todo;
    const what = t.isListed ? `${t.sku} set to ${t.targetQty}` : `${t.sku} taken off sale`;
    if (r.kind === "done") return { text: `Done: Xianyu ${what} (${t.id}, by ${actor.id}).` };
    if (r.kind === "already_done")
      return { text: `${t.id} was already done by ${t.closedBy ?? "someone"} at ${t.closedAt ?? "?"}.` };
    if (r.current) {
      const next = r.current.isListed ? `set it to ${r.current.targetQty}` : "take it off sale";
      return {
        text: `${t.id} is out of date: the target for ${t.sku} changed. Do ${r.current.id} instead: ${next}.`,
        buttons: [{ label: "Done", action: `/xianyu-done ${r.current.id}` }],
      };
    }
    return {
      text: `${t.id} is out of date: the target for ${t.sku} changed. A new to-do follows with the number to set.`,
    };
  },
});
