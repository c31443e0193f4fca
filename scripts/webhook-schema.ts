import { writeFileSync } from "node:fs";
import { webhookJsonSchema } from "../src/channels/webhook-schema.js";

// Writes docs/webhook-channel.schema.json from the zod schemas (test/webhook-channel.test.ts checks it matches).
writeFileSync(
  new URL("../docs/webhook-channel.schema.json", import.meta.url),
  `${JSON.stringify(webhookJsonSchema(), null, 2)}\n`,
);
