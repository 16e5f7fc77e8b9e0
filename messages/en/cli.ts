import type { Mirror } from "../types";
import type { cliMessages as zh } from "../zh/cli";

/** cli: the `budget` command's own texts. */
export const cliMessages: Mirror<typeof zh> = {
};
