import type { Command } from "commander";

export function registerTransferCommands(_program: Command) {}
