import { z } from "zod";
import { priceTodoStatusLines, todoStatusLines } from "../src/channels/xianyu.js";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "todos",
  summary: msg("cmd-todos-summary"),
  aliases: { "zh-CN": ["待办"] },
  role: "viewer",
  args: z.object({}),
  run: async (_args, { deps, tr }) => {
    const open = deps.checklist.openTodos();
    const prices = deps.checklist.openPriceTodos();
    if (!open.length && !prices.length) return { text: tr.t("todos-none") };
    const count = open.length + prices.length;
    return {
      text: [tr.t("todos-head", { count }), ...todoStatusLines(open, tr), ...priceTodoStatusLines(prices, tr)].join(
        "\n",
      ),
      buttons: [...open, ...prices]
        .slice(0, 10)
        .map((t) => ({ label: tr.t("button-todo-done", { sku: t.sku }), action: `/xianyu-done ${t.id}` })),
    };
  },
});
