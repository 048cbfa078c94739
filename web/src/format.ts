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
