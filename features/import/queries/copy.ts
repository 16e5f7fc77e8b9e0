import { Kysely, PostgresDialect, sql, type RawBuilder } from "kysely";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { once } from "node:events";
import type { Database } from "../../../db/schema.ts";
import type { MessageKey } from "../../../messages/index.ts";

/*
 * The import's connection work: one pooled connection pinned for the whole transaction (Kysely on it),
 * COPY … FROM STDIN into the temporary table import_stage in COPY's text format, and the staged rows'
 * notes (a jsonb array of messages) written in SQL.
 */

/** COPY data is sent in pieces of about this many characters. */
export const COPY_CHUNK = 256 * 1024;

/** A Kysely on one pooled connection, which it never releases (runImport does). */
export function onConnection(client: pg.PoolClient): Kysely<Database> {
  const pinned = { query: client.query.bind(client), release: () => {} };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: { connect: async () => pinned, end: async () => {} } }) });
}

/** COPY … FROM STDIN on a connection, opened on the first write, with back-pressure; closed and reopened as needed. */
export class CopyWriter {
  private stream: ReturnType<typeof copyFrom> | null = null;
  private finished: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: pg.PoolClient,
    private readonly statement: string,
  ) {}

  async write(text: string): Promise<void> {
    if (!this.stream) {
      this.stream = this.client.query(copyFrom(this.statement));
      this.finished = once(this.stream, "finish");
      this.finished.catch(() => {}); // awaited in close(); a failure also ends the race below
    }
    if (!this.stream.write(text)) await Promise.race([once(this.stream, "drain"), this.finished]);
  }

  /** Ends the COPY and waits until the server has taken every row (throws its error, if any). */
  async close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    this.stream = null;
    stream.end();
    await this.finished;
  }
}

/** One row in COPY's text format: tab-separated, \N for null, backslash escapes; then its resolution. */
export function copyLine(
  rowNumber: number,
  values: ReadonlyArray<string | number | null>,
  unitId: number | null,
  projectId: number | null,
  lineId: number | null,
  status: string | null,
  notes: string | null,
): string {
  let line = String(rowNumber);
  for (let index = 0; index < values.length; index++) line += copyField(values[index]);
  return `${line}${copyField(unitId)}${copyField(projectId)}${copyField(lineId)}${copyField(status)}${copyField(notes)}\n`;
}

function copyField(value: string | number | null | undefined): string {
  return value === null || value === undefined ? "\t\\N" : typeof value === "number" ? `\t${value}` : `\t${copyText(value)}`;
}

const COPY_SPECIAL = /[\\\t\n\r]/;

function copyText(text: string): string {
  if (!COPY_SPECIAL.test(text)) return text;
  return text.replace(/[\\\t\n\r]/g, (char) => (char === "\\" ? "\\\\" : char === "\t" ? "\\t" : char === "\n" ? "\\n" : "\\r"));
}

/**
 * A message built in SQL, as jsonb: note("impDuplicateOf", { row: sql`d.first_row` }) →
 * {"code": "impDuplicateOf", "params": {"row": 2}}. Parameters are SQL expressions (or nested notes).
 */
export function note(code: MessageKey, params?: Record<string, RawBuilder<unknown>>): RawBuilder<unknown> {
  if (!params) return sql`jsonb_build_object('code', ${code}::text)`;
  const pairs = Object.entries(params).map(([name, value]) => sql`${name}::text, ${value}`);
  return sql`jsonb_build_object('code', ${code}::text, 'params', jsonb_build_object(${sql.join(pairs)}))`;
}

/** A staged row's notes with one more: notes is a jsonb array (NULL for none). */
export function withNote(notes: RawBuilder<unknown>, added: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`coalesce(${notes}, '[]'::jsonb) || jsonb_build_array(${added})`;
}
