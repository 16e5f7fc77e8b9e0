import { parseArgs } from "node:util";

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

type OptionSpec = Record<string, { type: "string" | "boolean" }>;

/**
 * Parses a subcommand's arguments strictly; any unknown option becomes a UsageError.
 * Example: parseCommandLine(["a.csv", "--json"], { json: { type: "boolean" } }) → { values: { json: true }, positionals: ["a.csv"] }.
 */
export function parseCommandLine<T extends OptionSpec>(args: string[], options: T) {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    return {
      values: parsed.values as { [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : string },
      positionals: parsed.positionals,
    };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
