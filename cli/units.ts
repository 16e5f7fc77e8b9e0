import type { DB } from "../db/pool.ts";
import { withActor, SYSTEM_ACTOR } from "../db/audit.ts";
import { findUnitByName } from "../db/units.ts";
import type { UnitLevel } from "../db/schema.ts";
import { cliLanguage, msg, render, type Message } from "../messages/index.ts";
import { parseCommandLine, UsageError } from "./args.ts";

const LEVELS: readonly UnitLevel[] = ["city", "district", "town", "unit", "department"];

/** A message in the CLI's language. */
const text = (message: Message) => render(cliLanguage(), message);

/** budget unit add NAME --level LEVEL [--parent NAME]: the organisation tree of a new database. */
export async function unitCommand(db: DB, args: string[], output: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { level: { type: "string" }, parent: { type: "string" } } as const);
  const [subcommand, name, ...extra] = positionals;
  if (subcommand !== "add") throw new UsageError(msg("cliUnknownSubcommand", { command: `unit ${subcommand ?? ""}`.trim() }));
  if (!name || name.trim() === "") throw new UsageError(msg("cliMissingUnitName"));
  if (extra.length > 0) throw new UsageError(msg("cliUnexpectedArgs", { args: extra.join(" ") }));
  const level = values.level as UnitLevel | undefined;
  if (!level || !LEVELS.includes(level)) throw new UsageError(msg("cliLevelChoice", { levels: LEVELS.join("|") }));
  let parentId: number | null = null;
  if (values.parent !== undefined) {
    const parent = await findUnitByName(db, values.parent);
    if (!parent) throw new UsageError(msg("cliUnknownParentUnit", { unit: values.parent }));
    parentId = parent.id;
  }
  if (await findUnitByName(db, name)) {
    process.stderr.write(`${text(msg("cliError", { text: msg("cliUnitExists", { unit: name }) }))}\n`);
    return 1;
  }
  await withActor(db, { ...SYSTEM_ACTOR, username: "cli" }, (trx) =>
    trx.insertInto("org_unit").values({ name: name.trim(), level, parent_id: parentId }).execute(),
  );
  output.write(`${text(values.parent ? msg("cliUnitCreatedUnder", { unit: name, parent: values.parent }) : msg("cliUnitCreated", { unit: name }))}\n`);
  return 0;
}
