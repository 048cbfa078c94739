import { createInterface } from "node:readline";
import type { Command } from "commander";
import { Analyzer, classifyLine } from "../understand";

// `parley classify` (JSON lines in, one analysis per line out, same order) and
// `parley bench understand` (texts/s of the full analysis beside the lexicon
// tools people use today; figures only, nothing asserted).

async function classifyStream(input: NodeJS.ReadableStream, output: NodeJS.WritableStream) {
  const analyzer = new Analyzer();
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let pending = "";
  const flush = async () => {
    if (!pending) return;
    const ok = output.write(pending);
    pending = "";
    if (!ok) await new Promise((done) => output.once("drain", done));
  };
  for await (const line of lines) {
    if (!line.trim()) continue;
    pending += `${JSON.stringify(classifyLine(analyzer, line))}\n`;
    if (pending.length > 64 * 1024) await flush();
  }
  await flush();
}

function benchCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === "bench") ??
    program.command("bench").description("Measure Parley's speed (prints figures; asserts nothing)")
  );
}

export function registerUnderstandCommands(program: Command) {
  program
    .command("classify")
    .description('Analyze JSON lines {"id", "text"} from stdin; writes one JSON line per input, in order')
    .action(async () => {
      await classifyStream(process.stdin, process.stdout);
    });
  benchCommand(program)
    .command("understand")
    .description("Texts/s of the full analysis on one core, beside vader-sentiment and AFINN on the same texts")
    .option("--seconds <s>", "CPU seconds per measurement", "3")
    .option("--json", "machine-readable output")
    .action(async (o: { seconds: string; json?: boolean }) =>
      (await import("./bench-understand")).benchUnderstand({ seconds: Number(o.seconds), json: o.json }),
    );
}
