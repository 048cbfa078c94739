import { type Command, Option } from "commander";
import { createApiKey, createUser, resetTwoFactor, signUp } from "../accounts";
import { KEY_SCOPES, type KeyScope } from "../contracts/enums";
import { ensureRuleSets } from "../rules";
import { findUserByEmail } from "../store/accounts";
import { openStore, resolveStoreOptions } from "../store/db";
import { migrateToLatest } from "../store/migrate";
import { ROLES, type Role } from "../store/schema";
import { fail, openMigratedStore, printJson } from "./context";
import { callServer, serverOnDataDir } from "./server-client";
import { pickWorkspace } from "./workspace";

// `parley start`, `migrate`, `user create` and `apikey create`: running Parley and its first accounts.

export function registerAdminCommands(program: Command) {
  program
    .command("start")
    .description("Run Parley: web app and API (embedded store in ./.parley unless DATABASE_URL is set)")
    .option("-p, --port <port>", "port to listen on (default: $PORT or 4000)")
    .option("--host <host>", "address to bind (default: $HOST or 0.0.0.0)")
    .action(async (opts: { port?: string; host?: string }) => {
      await (await import("./start")).startServer({
        port: Number(opts.port ?? process.env.PORT ?? 4000),
        host: opts.host ?? process.env.HOST ?? "0.0.0.0",
      });
    });

  program
    .command("migrate")
    .description("Apply pending database migrations")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      // While `parley start` holds the embedded store this refuses, naming its pid and port: it migrated when it started.
      const store = await openStore({ ...resolveStoreOptions(), command: "migrate" });
      const report = await migrateToLatest(store.db);
      await ensureRuleSets(store.db);
      await store.close();
      if (opts.json) printJson({ store: store.describe, ...report });
      else
        console.log(
          `${store.describe}: ${report.applied.length ? `applied ${report.applied.join(", ")}` : "already up to date"} (${report.total} migrations)`,
        );
    });

  const user = program.command("user").description("Manage users");
  user
    .command("create")
    .description("Create a user in a workspace (or the first workspace and its owner)")
    .requiredOption("--email <email>")
    .requiredOption("--name <name>")
    .option("--password <password>", "password (default: $PARLEY_PASSWORD)")
    .addOption(new Option("--role <role>", "role in the workspace").choices([...ROLES]).default("agent"))
    .option("--workspace <id-or-name>", "workspace to join (default: the only one)")
    .option("--workspace-name <name>", "create a new workspace with this user as owner")
    .option("--json", "machine-readable output")
    .action(
      async (opts: {
        email: string;
        name: string;
        password?: string;
        role: Role;
        workspace?: string;
        workspaceName?: string;
        json?: boolean;
      }) => {
        const password = opts.password ?? process.env.PARLEY_PASSWORD;
        if (!password) fail("give --password or set PARLEY_PASSWORD", opts.json);
        const store = await openMigratedStore();
        try {
          if (opts.workspaceName) {
            const { userId, workspaceId } = await signUp(store.db, {
              email: opts.email,
              name: opts.name,
              password,
              workspaceName: opts.workspaceName,
            });
            const out = { id: userId, email: opts.email, role: "owner", workspace_id: workspaceId };
            if (opts.json) printJson(out);
            else console.log(`Created workspace "${opts.workspaceName}" (${workspaceId}) with owner ${opts.email}`);
            return;
          }
          const workspaceId = await pickWorkspace(store.db, opts.workspace, Boolean(opts.json));
          const created = await createUser(store.db, null, { workspaceId, email: opts.email, name: opts.name, password, role: opts.role });
          if (opts.json) printJson({ ...created, workspace_id: workspaceId });
          else console.log(`User ${created.email} is ${created.role} of workspace ${workspaceId}`);
        } catch (err) {
          fail(err instanceof Error ? err.message : String(err), opts.json);
        } finally {
          await store.close();
        }
      },
    );

  user
    .command("reset-2fa")
    .description("Remove a person's second factor (lost phone and recovery codes) and end all their sessions")
    .requiredOption("--email <email>")
    .option("--json", "machine-readable output")
    .action(async (opts: { email: string; json?: boolean }) => {
      const store = await openMigratedStore();
      try {
        const found = await findUserByEmail(store.db, opts.email);
        if (!found) fail(`no user with the email ${opts.email}`, opts.json);
        const done = await resetTwoFactor(store.db, null, found.id);
        if (opts.json) printJson(done);
        else
          console.log(
            `Two-factor sign-in is off for ${done.email}; ${done.sessions_ended} session(s) ended. They sign in with their password and set it up again.`,
          );
      } catch (err) {
        fail(err instanceof Error ? err.message : String(err), opts.json);
      } finally {
        await store.close();
      }
    });

  const apikey = program.command("apikey").description("Manage API keys");
  apikey
    .command("create")
    .description("Create an API key; the secret is printed once")
    .requiredOption("--name <name>")
    .addOption(new Option("--role <role>", "what the key may do").choices(["admin", "manager", "agent", "viewer"]).default("agent"))
    .addOption(
      new Option("--scope <scope>", "narrows the role: read (GET only), write (no admin settings), admin (all the role allows)")
        .choices([...KEY_SCOPES])
        .default("admin"),
    )
    .option("--expires-days <days>", "the key stops working after this many days")
    .option("--workspace <id-or-name>", "workspace (default: the only one)")
    .option("--json", "machine-readable output")
    .action(
      async (opts: {
        name: string;
        role: "admin" | "manager" | "agent" | "viewer";
        scope: KeyScope;
        expiresDays?: string;
        workspace?: string;
        json?: boolean;
      }) => {
        const days = opts.expiresDays === undefined ? undefined : Number(opts.expiresDays);
        if (days !== undefined && !(Number.isInteger(days) && days > 0))
          fail("--expires-days must be a whole number of days above 0", opts.json);
        const expiresAt = days ? new Date(Date.now() + days * 86_400_000) : null;
        const server = serverOnDataDir(opts.workspace);
        if (server) {
          try {
            const { data, workspaceId } = await callServer<{ id: string; secret: string }>(server, "POST", "/api-keys", {
              json: { name: opts.name, role: opts.role, scope: opts.scope, expires_at: expiresAt?.toISOString() ?? null },
            });
            printApiKey({ id: data.id, secret: data.secret }, opts, workspaceId);
          } catch (err) {
            fail(err instanceof Error ? err.message : String(err), opts.json);
          }
          return;
        }
        const store = await openMigratedStore();
        try {
          const workspaceId = await pickWorkspace(store.db, opts.workspace, Boolean(opts.json));
          const key = await createApiKey(store.db, null, { workspaceId, name: opts.name, role: opts.role, scope: opts.scope, expiresAt });
          printApiKey(key, opts, workspaceId);
        } finally {
          await store.close();
        }
      },
    );
}

function printApiKey(
  key: { id: string; secret: string },
  opts: { name: string; role: string; scope: string; json?: boolean },
  workspaceId: string,
) {
  if (opts.json)
    printJson({ id: key.id, name: opts.name, role: opts.role, scope: opts.scope, secret: key.secret, workspace_id: workspaceId });
  else
    console.log(`API key "${opts.name}" (${opts.role}, scope ${opts.scope}):\n\n  ${key.secret}\n\nStore it now: it is not shown again.`);
}
