import { sql } from "kysely";

/** A timestamp column as the offices read it: Shanghai time to the minute, localTime("imported_at") → "2024-08-31 16:05". */
export const localTime = (column: string) => sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`;
