import type { Selectable } from "kysely";

/** "untracked_reason" → "untrackedReason". */
type CamelCase<Name extends string> = Name extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : Name;

/**
 * A table's row as the repositories hand it out: the selected types of its columns under camelCase
 * names (the queries alias `due_target as dueTarget`). Row<TrackingFormIndicatorTable>["dueTarget"] is string | null.
 */
export type Row<Table> = { [Column in keyof Selectable<Table> as CamelCase<Column & string>]: Selectable<Table>[Column] };
