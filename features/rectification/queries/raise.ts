import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../../db/schema.ts";
import { todayInChina } from "../../../domain/dates.ts";
import { defaultDueDate, DUE_SETTING_KEYS, raisedDueDate, type FormSource } from "../rules/index.ts";

/*
 * Raising the rectification items of a form that has just been accepted, in the acceptance's
 * transaction (the workflow's onAccepted hook; the demo's seed after its forms are accepted):
 *
 *   self-evaluation: each indicator row scored below its weight (the score entered, else the rule's)
 *                    with its 偏差原因分析及改进措施 → one item, the measure being that text;
 *   tracking form:   each indicator row marked 是否整改 = 是 → one item, the measure being its 纠偏措施
 *                    (with its 整改建议 when both are written), else its 整改建议.
 *
 * Idempotent: an item is unique per source form and row (raising again adds nothing), and a later
 * revision of a tracking form's period does not raise again a row an earlier revision raised.
 */

type Queryable = Kysely<Database> | Transaction<Database>;

/** The default due date's rule of a source, from the settings (absent: the default rule, rules/index.ts). */
export async function dueRuleSetting(db: Queryable, source: FormSource): Promise<string | undefined> {
  const row = await db.selectFrom("setting").select("value").where("key", "=", DUE_SETTING_KEYS[source]).executeTakeFirst();
  return row?.value;
}

interface NewItem {
  sourceRow: number;
  indicator: string;
  measure: string;
}

/**
 * Raises the items of the accepted form `id` of `source`; returns how many were added (0 for a form not
 * accepted). Due by the rule's date, or MIN_DAYS_TO_DUE days after `raisedOn` when that is later; `raisedOn`
 * null keeps the rule's date (the demo's forms, accepted in their own time, not on the day of install).
 */
export async function raiseRectificationItems(trx: Transaction<Database>, source: FormSource, id: number, raisedOn: string | null = todayInChina()): Promise<number> {
  const form =
    source === "self-evaluation"
      ? await trx
          .selectFrom("self_evaluation as f")
          .innerJoin("project as p", "p.id", "f.project_id")
          .select(["f.status", "p.id as projectId", "p.unit_id as unitId", "p.fiscal_year as fiscalYear"])
          .where("f.id", "=", id)
          .executeTakeFirst()
      : await trx
          .selectFrom("tracking_form as f")
          .innerJoin("project as p", "p.id", "f.project_id")
          .select(["f.status", "p.id as projectId", "p.unit_id as unitId", "p.fiscal_year as fiscalYear"])
          .where("f.id", "=", id)
          .executeTakeFirst();
  if (!form || form.status !== "accepted") return 0;
  const rows = source === "self-evaluation" ? await selfEvaluationRows(trx, id) : await trackingRows(trx, id);
  if (rows.length === 0) return 0;
  const ruleDate = defaultDueDate(source, form.fiscalYear, await dueRuleSetting(trx, source));
  const dueOn = raisedOn === null ? ruleDate : raisedDueDate(ruleDate, raisedOn);
  const inserted = await trx
    .insertInto("rectification_item")
    .values(
      rows.map((row) => ({
        project_id: form.projectId,
        source,
        self_evaluation_id: source === "self-evaluation" ? id : null,
        tracking_form_id: source === "tracking" ? id : null,
        source_row: row.sourceRow,
        indicator: row.indicator,
        measure: row.measure,
        unit_id: form.unitId,
        due_on: dueOn,
      })),
    )
    .onConflict((conflict) => conflict.doNothing())
    .returning("id")
    .execute();
  return inserted.length;
}

/** The rows of a self-evaluation scored below their weight, with their 偏差原因分析及改进措施. */
async function selfEvaluationRows(trx: Transaction<Database>, evaluationId: number): Promise<NewItem[]> {
  const rows = await trx
    .selectFrom("self_evaluation_indicator")
    .select(["sort_order as sourceRow", "name as indicator", "deviation_analysis as measure"])
    .where("evaluation_id", "=", evaluationId)
    .where("weight", "is not", null)
    .where((eb) => eb(eb.fn.coalesce("score", "rule_score"), "<", eb.ref("weight")))
    .where((eb) => eb(eb.fn("btrim", [eb.fn.coalesce("deviation_analysis", eb.val(""))]), "<>", ""))
    .orderBy("sort_order")
    .execute();
  return rows.map((row) => ({ ...row, measure: row.measure!.trim() }));
}

/** The rows of a tracking form marked 是否整改 = 是, leaving out rows an earlier revision of the same period raised. */
async function trackingRows(trx: Transaction<Database>, formId: number): Promise<NewItem[]> {
  const rows = await trx
    .selectFrom("tracking_form_indicator as r")
    .innerJoin("tracking_form as f", "f.id", "r.form_id")
    .select(["r.sort_order as sourceRow", "r.name as indicator", "r.measure", "r.rectify_advice as advice"])
    .where("r.form_id", "=", formId)
    .where("r.rectify", "=", true)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("rectification_item as i")
            .innerJoin("tracking_form as earlier", "earlier.id", "i.tracking_form_id")
            .select("i.id")
            .whereRef("earlier.project_id", "=", "f.project_id")
            .whereRef("earlier.period_end", "=", "f.period_end")
            .whereRef("earlier.revision", "<", "f.revision")
            .whereRef("i.indicator", "=", "r.name"),
        ),
      ),
    )
    .orderBy("r.sort_order")
    .execute();
  return rows.map((row) => ({ sourceRow: row.sourceRow, indicator: row.indicator, measure: trackingMeasure(row.measure, row.advice) }));
}

/** The measure of a tracking row: 纠偏措施 and 整改建议 as written (either, or both joined; "" when neither). */
function trackingMeasure(measure: string | null, advice: string | null): string {
  const parts = [measure?.trim() ?? "", advice?.trim() ?? ""].filter((part) => part !== "");
  return [...new Set(parts)].join("\n");
}
