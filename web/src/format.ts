import dayjs from "dayjs";
import type { Contact } from "./types";

export function contactName(c: Pick<Contact, "name" | "first_name" | "last_name" | "emails">): string {
  return c.name || [c.first_name, c.last_name].filter(Boolean).join(" ") || c.emails[0] || "Unnamed contact";
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format("MMM D, YYYY") : "";
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format("MMM D, YYYY HH:mm") : "";
}

/** A link target taken from hostile content (posts, profiles, custom fields), or null unless it is plain http(s). */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}
