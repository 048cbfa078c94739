import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { Command } from "commander";
import type { ArticleImportItem } from "../contracts/knowledge";
import { type ImportSummary, importArticles, parseArticleFile } from "../knowledge";
import { cliActor, openMigratedStore, printJson, report, runCommand } from "./context";
import { callServer, type LocalServer, serverOnDataDir } from "./server-client";
import { pickWorkspace } from "./workspace";

// `parley kb import DIR`: a folder of Markdown files (front-matter: title, slug, category,
// status, source_url) becomes the help centre's articles. Slugs match files to articles, so a
// folder kept in version control can be imported again; all files go in, or none.

/** The folder's Markdown files, subfolders included, in name order. */
function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith(".")) continue;
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(md|markdown)$/i.test(name)) out.push(path);
    }
  };
  walk(dir);
  return out;
}

function readArticles(dir: string): ArticleImportItem[] {
  let files: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder`);
    files = markdownFiles(dir);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw e.code === "ENOENT" ? new Error(`cannot read ${dir}: no such folder`) : err;
  }
  if (files.length === 0) throw new Error(`${dir} has no Markdown (.md) files`);
  return files.map((file) => parseArticleFile(relative(dir, file), readFileSync(file, "utf8")));
}

export function registerKnowledgeCommands(program: Command) {
  const kb = program.command("kb").description("The help centre: import articles from a folder of Markdown files (parley kb import DIR)");
  kb.command("import")
    .description("Create or update help-centre articles from a folder of Markdown files with front-matter (matched by slug)")
    .argument("<dir>", "the folder")
    .option("--workspace <id-or-name>", "workspace (default: the only one)")
    .option("--json", "print one JSON summary")
    .action(async (dir: string, opts: { workspace?: string; json?: boolean }) => {
      const json = Boolean(opts.json);
      let articles: ArticleImportItem[] = [];
      try {
        articles = readArticles(dir);
      } catch (err) {
        report(err, json);
      }
      const server = serverOnDataDir(opts.workspace);
      const store = server ? null : await openMigratedStore();
      await runCommand(store, json, async () => {
        const summary: ImportSummary = store
          ? await importArticles(store.db, cliActor(await pickWorkspace(store.db, opts.workspace, json)), articles)
          : (await callServer<ImportSummary>(server as LocalServer, "POST", "/knowledge/articles:import", { json: { articles } })).data;
        if (json) printJson(summary);
        else
          process.stdout.write(
            `${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged` +
              (summary.categories_created ? `, ${summary.categories_created} categories added` : "") +
              "\n",
          );
      });
    });
}
