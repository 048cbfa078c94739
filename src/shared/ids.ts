import { createHash, randomBytes, randomUUID } from "node:crypto";

export const newId = (): string => randomUUID();

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID_RE.test(value);

/** A secret to hand out once; only its hash is stored. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString("base64url")}`;
}

export const sha256 = (value: string): string => createHash("sha256").update(value).digest("hex");
