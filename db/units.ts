import { sql } from "kysely";
import type { DB } from "./pool.ts";
import type { UnitLevel } from "./schema.ts";

/** An organisation unit with the names of its ancestors, city first. */
export interface UnitWithPath {
  id: number;
  name: string;
  level: UnitLevel;
  parentId: number | null;
  /** Ancestor names from the top (上海市) down to the unit's parent. */
  ancestors: string[];
}

/** Every unit with its ancestor path, ordered as a tree (parents before children, siblings by name). */
export async function listUnits(db: DB): Promise<UnitWithPath[]> {
  const result = await sql<{ id: number; name: string; level: UnitLevel; parent_id: number | null; ancestors: string[] }>`
    WITH RECURSIVE tree AS (
      SELECT id, name, level, parent_id, ARRAY[]::text[] AS ancestors, ARRAY[name] AS sort_path
        FROM org_unit WHERE parent_id IS NULL
      UNION ALL
      SELECT child.id, child.name, child.level, child.parent_id, tree.ancestors || tree.name, tree.sort_path || child.name
        FROM org_unit child JOIN tree ON child.parent_id = tree.id
    )
    SELECT id, name, level, parent_id, ancestors FROM tree ORDER BY sort_path`.execute(db);
  return result.rows.map((row) => ({
    id: row.id,
    name: row.name,
    level: row.level,
    parentId: row.parent_id,
    ancestors: row.ancestors,
  }));
}

/** The unit with exactly this name, or undefined. */
export async function findUnitByName(db: DB, name: string): Promise<{ id: number; name: string } | undefined> {
  return db.selectFrom("org_unit").select(["id", "name"]).where("name", "=", name).executeTakeFirst();
}

/** The ids of a unit and everything below it. */
export async function unitSubtreeIds(db: DB, unitId: number): Promise<number[]> {
  const result = await sql<{ id: number }>`
    WITH RECURSIVE subtree AS (
      SELECT id FROM org_unit WHERE id = ${unitId}
      UNION ALL
      SELECT child.id FROM org_unit child JOIN subtree ON child.parent_id = subtree.id
    )
    SELECT id FROM subtree`.execute(db);
  return result.rows.map((row) => row.id);
}
