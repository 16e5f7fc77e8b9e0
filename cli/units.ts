import type { DB } from "../db/pool.ts";
import { withActor, SYSTEM_ACTOR } from "../db/audit.ts";
import { findUnitByName } from "../db/units.ts";
import type { UnitLevel } from "../db/schema.ts";
import { parseCommandLine, UsageError } from "./args.ts";

const LEVELS: readonly UnitLevel[] = ["city", "district", "town", "unit", "department"];

/** budget unit add NAME --level LEVEL [--parent NAME]: the organisation tree of a new database. */
export async function unitCommand(db: DB, args: string[], output: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { level: { type: "string" }, parent: { type: "string" } } as const);
  const [subcommand, name, ...extra] = positionals;
  if (subcommand !== "add") throw new UsageError(`未知子命令 unknown subcommand: unit ${subcommand ?? ""}`.trim());
  if (!name || name.trim() === "") throw new UsageError("缺少单位名称 missing unit name");
  if (extra.length > 0) throw new UsageError(`多余的参数 unexpected arguments: ${extra.join(" ")}`);
  const level = values.level as UnitLevel | undefined;
  if (!level || !LEVELS.includes(level)) throw new UsageError(`--level 应为 ${LEVELS.join("|")}`);
  let parentId: number | null = null;
  if (values.parent !== undefined) {
    const parent = await findUnitByName(db, values.parent);
    if (!parent) throw new UsageError(`未知上级单位 unknown parent unit: ${values.parent}`);
    parentId = parent.id;
  }
  if (await findUnitByName(db, name)) {
    process.stderr.write(`错误 error: 单位已存在 the unit exists: ${name}\n`);
    return 1;
  }
  await withActor(db, { ...SYSTEM_ACTOR, username: "cli" }, (trx) =>
    trx.insertInto("org_unit").values({ name: name.trim(), level, parent_id: parentId }).execute(),
  );
  output.write(`已创建单位 unit created: ${name}${values.parent ? `（上级 ${values.parent}）` : ""}\n`);
  return 0;
}
