import type { ChangeEvent } from "react";
import type { CustomField, CustomValue, CustomValues } from "../types";

/** The first server message for a field or any of its parts ("emails", "emails.1"). */
export function errorFor(errors: Record<string, string>, field: string): string | undefined {
  if (errors[field]) return errors[field];
  const key = Object.keys(errors).find((k) => k.startsWith(`${field}.`) || k.startsWith(`${field}[`));
  return key ? errors[key] : undefined;
}

export function trimOrNull(value: string): string | null {
  const t = value.trim();
  return t === "" ? null : t;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * The custom values to send: on create only the filled ones; on edit only the
 * changed ones, with null for a cleared value (the API merges `custom`).
 */
export function customPayload(fields: CustomField[], values: CustomValues, original?: CustomValues): CustomValues | undefined {
  const out: CustomValues = {};
  for (const field of fields) {
    let value: CustomValue = values[field.key] ?? null;
    if (typeof value === "string") value = value.trim() === "" ? null : value.trim();
    if (Array.isArray(value) && value.length === 0) value = null;
    if (original) {
      if (!sameValue(value, original[field.key])) out[field.key] = value;
    } else if (value !== null) {
      out[field.key] = value;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Only the keys whose value differs from the original (for PATCH). */
export function changedFields<T extends Record<string, unknown>>(next: T, original: Record<string, unknown>): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(next) as Array<keyof T>) {
    if (!sameValue(next[key], original[key as string])) out[key] = next[key];
  }
  return out;
}

/** `value` and `onChange` of a text input bound to a string state: `<TextInput {...textField(name, setName)} />`. */
export function textField(value: string, onChange: (value: string) => void) {
  return {
    value,
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onChange(event.currentTarget.value),
  };
}
