import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";

export default defineCommand({
  name: "whoami",
  summary: "Show your user id and role",
  role: "viewer",
  args: z.object({}),
  run: async (_args, { actor }) => ({ text: `You are ${actor.id} (${actor.role}) on ${actor.transport}.` }),
});
