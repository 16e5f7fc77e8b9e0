import { parseArgs } from "node:util";
import { cliLanguage, msg, render, type Message } from "../messages/index.ts";

/** A mistake in the command line: printed with the usage, exit code 2. Given as a message, it is rendered in the CLI's language. */
export class UsageError extends Error {
  constructor(problem: string | Message) {
    super(typeof problem === "string" ? problem : render(cliLanguage(), problem));
  }
}

type OptionSpec = Record<string, { type: "string" | "boolean" }>;

/**
 * node:util's parseArgs errors as messages: "Unknown option '--colour'. …" → 未知选项：--colour.
 * An error it does not name (a future Node's wording) is kept as Node wrote it.
 */
function parseProblem(error: unknown): string | Message {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const option = /'(-{1,2}[^'\s<]+)/.exec(text)?.[1];
  if (option === undefined) return text;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return msg("cliUnknownOption", { option });
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    return /does not take an argument/.test(text) ? msg("cliOptionTakesNoValue", { option }) : msg("cliOptionNeedsValue", { option });
  }
  return text;
}

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
    throw new UsageError(parseProblem(error));
  }
}
