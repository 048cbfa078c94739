import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { freePort } from "./cli";

export const DOVECOT = "/usr/sbin/dovecot";
export const hasDovecot = () => existsSync(DOVECOT);

/**
 * A real Dovecot IMAP server for one test file: plain IMAP on a loopback port,
 * one user with a password, maildir storage in a temp folder.
 */
export async function startDovecot(user: string, password: string) {
  const dir = mkdtempSync(resolve(tmpdir(), "parley-imap-"));
  const port = await freePort();
  for (const d of ["run", "state", "mail", "home"]) mkdirSync(resolve(dir, d), { recursive: true });
  // Mail processes must not run as root: they run as nobody, who owns the mail.
  chmodSync(dir, 0o755);
  for (const d of ["mail", "home"]) chownSync(resolve(dir, d), 65534, 65534);
  writeFileSync(resolve(dir, "passwd"), `${user}:{PLAIN}${password}::::::\n`);
  writeFileSync(
    resolve(dir, "dovecot.conf"),
    `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`,
  );
  const child: ChildProcess = spawn(DOVECOT, ["-F", "-c", resolve(dir, "dovecot.conf")], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const net = await import("node:net");
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`dovecot exited: ${output}`);
    const up = await new Promise<boolean>((ok) => {
      const s = net.connect(port, "127.0.0.1", () => {
        s.end();
        ok(true);
      });
      s.on("error", () => ok(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    /** Stops dovecot and waits for it to exit before removing its directory (it writes its state there as it goes). */
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once("exit", done));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}
