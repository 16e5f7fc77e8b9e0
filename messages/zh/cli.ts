/** cli: the `budget` command's own texts (usage, headings, table headers). */
export const cliMessages = {
} as const;
