// Regenerates docs/normalized-message.schema.json from the Zod schema (the source of truth).
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { messageJsonSchema } from "../src/ingest";

const file = resolve(import.meta.dirname, "../docs/normalized-message.schema.json");
writeFileSync(file, `${JSON.stringify(messageJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file}`);
