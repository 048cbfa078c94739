import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

// Channel credentials are encrypted at rest with AES-256-GCM. The key comes
// from PARLEY_SECRET, or is generated once into the data dir (mode 0600).

let cachedKey: Buffer | undefined;

export function secretKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  if (cachedKey) return cachedKey;
  if (env.PARLEY_SECRET) {
    cachedKey = createHash("sha256").update(env.PARLEY_SECRET).digest();
    return cachedKey;
  }
  const dataDir = env.PARLEY_DATA_DIR || resolve(process.cwd(), ".parley");
  const file = resolve(dataDir.startsWith("memory://") ? resolve(process.cwd(), ".parley") : dataDir, "secret.key");
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  }
  cachedKey = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  return cachedKey;
}

export function encryptSecret(plain: string, key = secretKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `v1.${iv.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}.${body.toString("base64url")}`;
}

export function decryptSecret(sealed: string, key = secretKey()): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("not a sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
