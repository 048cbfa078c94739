import { spawn } from "node:child_process";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../src/rules";
import { LOCAL_TOKEN_PREFIX } from "../src/server/auth";
import { openStore } from "../src/store/db";
import { StoreLockedError } from "../src/store/lock";
import { newWorkspace, startTestApp } from "./support/app";
import { cliEnv, createFirstUser, freePort, parley, ROOT, scratchDataDir, startServerProcess } from "./support/cli";

// Issue 12 item 0: a CLI command beside `npm start` on the same ./.parley used to
// open a second PGlite on the folder and corrupt the store. Now the server holds
// the data dir's lock, writing commands go through its API with the local token,
// and the rest refuse naming the server's pid and port.

const scratch = scratchDataDir();
const env = cliEnv(scratch.dir);
const fixture = (...p: string[]) => resolve(ROOT, "test/fixtures", ...p);
let port = 0;
let server: Awaited<ReturnType<typeof startServerProcess>>;

async function stop(child: typeof server.child, signal: NodeJS.Signals) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill(signal);
  await exited;
}

async function counts() {
  const store = await openStore({ dataDir: scratch.dir });
  try {
    const count = async (table: "messages" | "contacts" | "merges" | "rules" | "api_keys") =>
      Number(
        (
          await store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      messages: await count("messages"),
      contacts: await count("contacts"),
      merges: await count("merges"),
      rules: await count("rules"),
      api_keys: await count("api_keys"),
    };
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  await createFirstUser(env);
  port = await freePort();
  server = await startServerProcess(env, port);
}, 240_000);

afterAll(async () => {
  if (server) await stop(server.child, "SIGKILL");
  scratch.cleanup();
});

describe("the CLI beside a running server on the same embedded store", { timeout: 300_000 }, () => {
  it("the server holds the data dir: a second opener is refused with its pid and port and never opens PGlite", async () => {
    const pid = server.child.pid;
    const err = await openStore({ dataDir: scratch.dir }).then(
      async (s) => {
        await s.close();
        return null;
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreLockedError);
    expect((err as Error).message).toContain(`pid ${pid}, port ${port}`);

    // How the CLI reaches it: address and a per-run token, readable by the owner only.
    const info = resolve(scratch.dir, "server.json");
    expect(statSync(info).mode & 0o777).toBe(0o600);
  });

  it("every writing command works through the server, with its usual output; the rest refuse naming pid and port", async () => {
    const ingested = await parley(["ingest", fixture("listen", "twcs-sample.csv"), "--json"], env);
    expect(ingested.code, ingested.stderr).toBe(0);
    expect(JSON.parse(ingested.stdout)).toMatchObject({ read: 6, stored: 6, duplicates: 0, rejected: [] });
    const again = await parley(["ingest", fixture("listen", "twcs-sample.csv"), "--format", "twcs"], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^6 read, 0 stored, 6 duplicates/);
    const badChannel = await parley(["ingest", fixture("listen", "messages.jsonl"), "--channel", "nope", "--json"], env);
    expect(badChannel.code).toBe(1);
    expect(JSON.parse(badChannel.stdout).error.message).toBe('no channel named "nope" in this workspace');

    const imported = await parley(
      ["import", "contacts", fixture("transfer", "contacts-mixed.csv"), "--id-column", "External ID", "--json"],
      env,
    );
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ total: 8, created: 4, updated: 0 });
    const vcards = await parley(
      ["import", "contacts", "-", "--format", "vcard"],
      env,
      "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Vera Card\r\nEND:VCARD\r\n",
    );
    expect(vcards.code, vcards.stderr).toBe(0);
    expect(vcards.stdout).toMatch(/^Imported 1 rows: 1 created, 0 updated, 0 rejected/);

    const merged = await parley(["merge", "C-1001", "C-1002", "--prefer", "title", "--reason", "same person", "--json"], env);
    expect(merged.code, merged.stderr).toBe(0);
    const merge = JSON.parse(merged.stdout) as { merge: { id: string }; contact: { name: string; title: string } };
    expect(merge.contact).toMatchObject({ name: "Ana Silva", title: "CTO" });
    const undone = await parley(["unmerge", merge.merge.id], env);
    expect(undone.code, undone.stderr).toBe(0);
    expect(undone.stdout).toContain("are separate again");
    const mergedAgain = await parley(["merge", "C-1001", "C-1002"], env);
    expect(mergedAgain.code, mergedAgain.stderr).toBe(0);
    expect(mergedAgain.stdout).toMatch(/^Merged "Ben Okafor" into "Ana Silva"/);
    const missing = await parley(["merge", "C-1001", "nobody", "--json"], env);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error).toMatchObject({ code: "not_found", details: [{ field: "b" }] });

    const rulesFile = resolve(scratch.dir, "rules.json");
    writeFileSync(
      rulesFile,
      JSON.stringify({
        rules: [
          {
            key: "vip.escalate",
            name: "VIP",
            trigger: { type: "message.received" },
            conditions: { match: "all", conditions: [{ field: "contact.tags", op: "contains", value: "vip" }] },
            actions: [{ type: "set_priority", priority: 95 }],
          },
        ],
      }),
    );
    const rules = await parley(["rules", "import", rulesFile, "--json"], env);
    expect(rules.code, rules.stderr).toBe(0);
    expect(JSON.parse(rules.stdout)).toMatchObject({ created: 1 });

    const key = await parley(["apikey", "create", "--name", "loader", "--role", "agent", "--json"], env);
    expect(key.code, key.stderr).toBe(0);
    const created = JSON.parse(key.stdout) as { secret: string; workspace_id: string; role: string };
    expect(created.role).toBe("agent");
    const me = await fetch(`${server.base}/api/v1/contacts?limit=1`, { headers: { authorization: `Bearer ${created.secret}` } });
    expect(me.status).toBe(200);

    const exported = await parley(["export", "contacts"], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain("Ana Silva");
    expect(exported.stdout).toContain("Vera Card");

    // No API for these (yet): refused, and the store is untouched.
    const running = `Parley is running (pid ${server.child.pid}, port ${port})`;
    for (const args of [
      ["migrate"],
      ["duplicates", "--json"],
      ["reanalyze"],
      ["user", "create", "--email", "b@b.co", "--name", "B", "--password", "password1"],
      ["rules", "export"],
    ]) {
      const res = await parley(args, env);
      expect(res.code, args.join(" ")).toBe(1);
      expect(`${res.stderr}${res.stdout}`, args.join(" ")).toContain(running);
    }
    expect((await fetch(`${server.base}/api/health`)).status).toBe(200);
  });

  it("after a clean stop the lock and the token are gone and every row is there; after kill -9 the next start is not blocked", async () => {
    await stop(server.child, "SIGTERM");
    expect(existsSync(resolve(scratch.dir, "server.json"))).toBe(false);
    expect(existsSync(resolve(scratch.dir, "store.lock"))).toBe(false);
    // 6 messages; 4 contacts from the CSV and 1 from the vCard, less the one merged away; a merge (undone) and a
    // merge again; the default rule set and the imported rule; the key.
    const before = await counts();
    expect(before).toEqual({ messages: 6, contacts: 4, merges: 2, rules: DEFAULT_RULES.length + 1, api_keys: 1 });

    // Restarted, then killed without a chance to clean up: the lock stays behind…
    server = await startServerProcess(env, port);
    const pid = server.child.pid;
    await stop(server.child, "SIGKILL");
    expect(existsSync(resolve(scratch.dir, "store.lock"))).toBe(true);
    expect(existsSync(resolve(scratch.dir, "server.json"))).toBe(true);
    // …yet the store opens at once (its owner is dead), with every row, and the CLI
    // no longer takes the dead server for a running one.
    expect(await counts()).toEqual(before);
    const mergedCli = await parley(["merge", "C-1003", "C-1004", "--json"], env);
    expect(`${mergedCli.stdout}${mergedCli.stderr}`).not.toContain(`pid ${pid}`);
  });

  it("a CLI command holding the store makes a second one wait its turn, not corrupt it: the second is refused with the first's pid", async () => {
    // A process that holds the store open (like a long ingest) while another command runs.
    const holder = spawn(
      process.execPath,
      [
        "--import",
        "tsx/esm",
        "--input-type=module",
        "-e",
        `const { openStore } = await import(${JSON.stringify(resolve(ROOT, "src/store/db.ts"))});
         await openStore({ dataDir: ${JSON.stringify(scratch.dir)}, command: "ingest" });
         process.stdout.write("open\\n");
         setInterval(() => {}, 1000);`,
      ],
      { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      await new Promise<void>((r, j) => {
        holder.stdout?.on("data", (d) => String(d).includes("open") && r());
        holder.once("exit", (code) => j(new Error(`holder exited ${code}`)));
      });
      const res = await parley(["import", "contacts", fixture("transfer", "contacts-mixed.csv")], env);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`Another Parley process (pid ${holder.pid}, \`parley ingest\`) is using the embedded store`);
    } finally {
      await stop(holder, "SIGTERM");
    }
  });
});

describe("the local token", () => {
  it("acts as the workspace's owner from this machine only, and only with the running server's token", async () => {
    const token = `${LOCAL_TOKEN_PREFIX}test-token`;
    const t = await startTestApp({ localToken: token });
    try {
      const owner = await newWorkspace(t);
      const call = (authorization: string, remoteAddress: string, headers: Record<string, string> = {}) =>
        t.app.inject({
          method: "GET",
          url: "/api/v1/contacts",
          headers: { authorization, "x-parley-workspace": owner.workspaceId, ...headers },
          remoteAddress,
        });
      const local = await call(`Bearer ${token}`, "127.0.0.1");
      expect(local.statusCode, local.body).toBe(200);
      expect(local.headers["x-parley-workspace-id"]).toBe(owner.workspaceId);
      // A forwarded-for header does not make a remote caller local.
      const remote = await call(`Bearer ${token}`, "203.0.113.9", { "x-forwarded-for": "127.0.0.1" });
      expect(remote.statusCode).toBe(401);
      expect((await call(`Bearer ${LOCAL_TOKEN_PREFIX}guessed`, "127.0.0.1")).statusCode).toBe(401);
      const unknown = await call(`Bearer ${token}`, "127.0.0.1", { "x-parley-workspace": "no-such-workspace-anywhere" });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.message).toBe('no workspace "no-such-workspace-anywhere"');
    } finally {
      await t.close();
    }
  });

  it("means nothing to a server started without one", async () => {
    const t = await startTestApp();
    try {
      const res = await t.app.inject({
        method: "GET",
        url: "/api/v1/contacts",
        headers: { authorization: `Bearer ${LOCAL_TOKEN_PREFIX}x` },
      });
      expect(res.statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });
});
