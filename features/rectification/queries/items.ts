import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../../db/schema.ts";
import type { AuditActor } from "../../../db/audit.ts";
import type { RectificationSource, RectificationState, RectificationStatus } from "../rules/index.ts";

/*
 * The rectification items as stored (整改台账, migration 0016): the list by year, units, state and
 * source (overdue: open and due before the given day — computed here, never stored), one item, and
 * the changes (close with evidence, reopen, a new due date), each guarded by the version the user saw.
 * Writes take a transaction opened by withActor, so the audit trail names the user.
 */

type Queryable = Kysely<Database> | Transaction<Database>;

/** An item as the list shows it. */
export interface RectificationRow {
  id: number;
  projectId: number;
  projectName: string;
  fiscalYear: number;
  /** The responsible unit (the project's). */
  unitId: number;
  unitName: string;
  source: RectificationSource;
  /** A hand-entered item's origin (来源说明); null for an item raised from a form. */
  origin: string | null;
  /** The source form: the self-evaluation's id, or the tracking form's id, period end and revision. */
  /** The source form's id; null for a hand-entered item. */
  sourceId: number | null;
  periodEnd: string | null;
  revision: number | null;
  sourceRow: number;
  indicator: string;
  measure: string;
  dueOn: string;
  status: RectificationStatus;
  evidence: string | null;
  evidenceOn: string | null;
  closedBy: string | null;
  /** The display name of who closed it (its username when the account is gone). */
  closedByName: string | null;
  /** Why it was last reopened, by whom (username) and on which day in China; null when never reopened. */
  reopenReason: string | null;
  reopenedBy: string | null;
  /** The display name of who reopened it (its username when the account is gone). */
  reopenedByName: string | null;
  reopenedOn: string | null;
  /** The day the item was raised (the source form's acceptance), in China. */
  raisedOn: string;
  /** The first year whose adopted plan answered the item (rectification_response); null while none has. */
  answeredIn: number | null;
  version: number;
}

/** What the list is filtered by: the units (the user's, or a unit's subtree), and optionally year, state and source. */
export interface RectificationFilter {
  unitIds: readonly number[];
  year?: number;
  state?: RectificationState;
  source?: RectificationSource;
  /** The day against which overdue is judged (today in China); "open" lists every item not done, overdue ones included. */
  today: string;
  projectIds?: readonly number[];
}

function selectRows(db: Queryable) {
  return db
    .selectFrom("rectification_item as i")
    .innerJoin("project as p", "p.id", "i.project_id")
    .innerJoin("org_unit as u", "u.id", "i.unit_id")
    .leftJoin("tracking_form as f", "f.id", "i.tracking_form_id")
    .leftJoin("app_user as closer", "closer.id", "i.closed_by_id")
    .leftJoin("app_user as reopener", "reopener.id", "i.reopened_by_id")
    .select([
      "i.id",
      "p.id as projectId",
      "p.name as projectName",
      "p.fiscal_year as fiscalYear",
      "u.id as unitId",
      "u.name as unitName",
      "i.source",
      "i.origin",
      sql<number | null>`coalesce(i.self_evaluation_id, i.tracking_form_id)`.as("sourceId"),
      sql<string | null>`f.period_end::text`.as("periodEnd"),
      "f.revision",
      "i.source_row as sourceRow",
      "i.indicator",
      "i.measure",
      sql<string>`i.due_on::text`.as("dueOn"),
      "i.status",
      "i.evidence",
      sql<string | null>`i.evidence_on::text`.as("evidenceOn"),
      "i.closed_by as closedBy",
      sql<string | null>`coalesce(closer.display_name, i.closed_by)`.as("closedByName"),
      "i.reopen_reason as reopenReason",
      "i.reopened_by as reopenedBy",
      sql<string | null>`coalesce(reopener.display_name, i.reopened_by)`.as("reopenedByName"),
      sql<string | null>`to_char(i.reopened_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`.as("reopenedOn"),
      sql<string>`to_char(i.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`.as("raisedOn"),
      sql<number | null>`(select min(r.plan_year) from rectification_response r where r.item_id = i.id)`.as("answeredIn"),
      "i.version",
    ]);
}

/** The items of the filter, by unit, project, source and row. */
export async function listRectificationItems(db: Queryable, filter: RectificationFilter): Promise<RectificationRow[]> {
  let query = selectRows(db).where("i.unit_id", "in", filter.unitIds.length > 0 ? [...filter.unitIds] : [-1]);
  if (filter.year !== undefined) query = query.where("p.fiscal_year", "=", filter.year);
  if (filter.source !== undefined) query = query.where("i.source", "=", filter.source);
  if (filter.projectIds !== undefined) query = query.where("i.project_id", "in", filter.projectIds.length > 0 ? [...filter.projectIds] : [-1]);
  if (filter.state === "done") query = query.where("i.status", "=", "done");
  else if (filter.state === "overdue") query = query.where("i.status", "=", "open").where("i.due_on", "<", filter.today);
  // "open" lists every item not done, the overdue ones included (they are open items past their date).
  else if (filter.state === "open") query = query.where("i.status", "=", "open");
  return query.orderBy("u.name").orderBy("p.fiscal_year", "desc").orderBy("p.name").orderBy("i.source").orderBy("i.id").execute();
}

/** The fiscal years of the items within the units, latest first (the year filter's choices). */
export async function rectificationYears(db: Queryable, unitIds: readonly number[]): Promise<number[]> {
  if (unitIds.length === 0) return [];
  const rows = await db
    .selectFrom("rectification_item as i")
    .innerJoin("project as p", "p.id", "i.project_id")
    .select("p.fiscal_year as year")
    .distinct()
    .where("i.unit_id", "in", [...unitIds])
    .orderBy("p.fiscal_year", "desc")
    .execute();
  return rows.map((row) => row.year);
}

/** An item as stored, or undefined. */
export async function getRectificationItem(db: Queryable, itemId: number): Promise<RectificationRow | undefined> {
  return selectRows(db).where("i.id", "=", itemId).executeTakeFirst();
}

/** Closes an open item with its evidence, when still at `version`; false when changed meanwhile (or not open). */
export async function closeItem(trx: Transaction<Database>, itemId: number, version: number, input: { evidence: string; evidenceOn: string }, actor: AuditActor): Promise<boolean> {
  const result = await trx
    .updateTable("rectification_item")
    .set({
      status: "done",
      evidence: input.evidence,
      evidence_on: input.evidenceOn,
      closed_by: actor.username,
      closed_by_id: actor.userId,
      closed_at: sql<string>`now()`,
      updated_at: sql<string>`now()`,
    })
    .where("id", "=", itemId)
    .where("version", "=", version)
    .where("status", "=", "open")
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Reopens a done item with the manager's reason (its evidence goes; the audit trail keeps it), when still at `version`. */
export async function reopenItem(trx: Transaction<Database>, itemId: number, version: number, reason: string, actor: AuditActor): Promise<boolean> {
  const result = await trx
    .updateTable("rectification_item")
    .set({
      status: "open",
      evidence: null,
      evidence_on: null,
      closed_by: null,
      closed_by_id: null,
      closed_at: null,
      reopen_reason: reason,
      reopened_by: actor.username,
      reopened_by_id: actor.userId,
      reopened_at: sql<string>`now()`,
      updated_at: sql<string>`now()`,
    })
    .where("id", "=", itemId)
    .where("version", "=", version)
    .where("status", "=", "done")
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Sets an item's due date, when still at `version`. */
export async function setDueDate(trx: Transaction<Database>, itemId: number, version: number, dueOn: string): Promise<boolean> {
  const result = await trx
    .updateTable("rectification_item")
    .set({ due_on: dueOn, updated_at: sql<string>`now()` })
    .where("id", "=", itemId)
    .where("version", "=", version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
