import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Writable } from "node:stream";
import Decimal from "decimal.js";
import { sql } from "kysely";
import { freshDatabase } from "./support/database.ts";
import { runImport, type Importer } from "../features/import/queries/run.ts";
import { executionReport } from "../db/execution.ts";
import { loadPlan, type UnitPlan } from "../features/plan/queries/plan.ts";
import { findUnitByName } from "../db/units.ts";
import { forecastCommand } from "../cli/forecast.ts";
import { createRandom, randomInt, type Random } from "../forecasting/random.ts";
import type { DB } from "../db/pool.ts";

/*
 * No 500 from data (issue 11 §5): the plan (what /plan/:year's loader calls), the forecast CLI and the
 * dashboard's execution report answer for any ledger the importer accepts — one month only, one huge
 * payment, zeros, large negative adjustments, a year without payments, reversals (红字冲销) — with every
 * amount finite and footing. Ledgers are generated from a seed on the demo data, each in a transaction
 * that is rolled back.
 */

const MAQIAO = "上海市闵行区马桥镇社区事务受理服务中心";
const PAYMENT_HEADERS = ["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(元)", "到期日", "退回人次", "退回金额", "重发日期", "备注"];
const cli: Importer = { userId: null, username: "cli", unitSubtree: null, defaultParentUnitId: null };
const AMOUNT = /^-?\d+\.\d{2}$/;
const cents = (amount: string) => {
  expect(amount, `not an exact amount: ${amount}`).toMatch(AMOUNT);
  return BigInt(amount.replace(".", ""));
};
const sum = (amounts: readonly string[]) => amounts.reduce((s, a) => s + cents(a), 0n);

class Rollback extends Error {}

/** Runs `body` on a transaction that is always rolled back, so each generated ledger starts from the demo. */
async function inRolledBack(db: DB, body: (trx: DB) => Promise<void>): Promise<void> {
  await db
    .transaction()
    .execute(async (trx) => {
      await body(trx as unknown as DB);
      throw new Rollback();
    })
    .catch((error) => {
      if (!(error instanceof Rollback)) throw error;
    });
}

interface Ledger {
  projectId: number;
  lineIds: number[];
}

const day = (random: Random, year = 2024) => `${year}-${String(1 + randomInt(random, 12)).padStart(2, "0")}-${String(1 + randomInt(random, 28)).padStart(2, "0")}`;

async function pay(trx: DB, ledger: Ledger, values: { lineId: number | null; paidOn: string; personTimes: number | null; amount: string }) {
  const row = await trx
    .insertInto("payment")
    .values({ project_id: ledger.projectId, budget_line_id: values.lineId, paid_on: values.paidOn, kind: "batch", person_times: values.personTimes, amount: values.amount })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A reversing entry (红字冲销) as db/corrections.ts writes it: the payment's negative mirror on a later date of the year. */
async function reverse(trx: DB, paymentId: string, random: Random) {
  const original = await trx.selectFrom("payment").selectAll().where("id", "=", paymentId).executeTakeFirstOrThrow();
  const later = original.paid_on < "2024-12-31" ? day(random) : "2024-12-31";
  await trx
    .insertInto("payment")
    .values({
      project_id: original.project_id,
      budget_line_id: original.budget_line_id,
      paid_on: later > original.paid_on ? later : original.paid_on,
      kind: original.kind,
      person_times: original.person_times === null ? null : -original.person_times,
      amount: new Decimal(original.amount).negated().toFixed(2),
      returned_count: -original.returned_count,
      returned_amount: new Decimal(original.returned_amount).negated().toFixed(2),
      reverses_payment_id: paymentId,
      correction_reason: "红字冲销（测试）",
    })
    .execute();
}

/** The kinds of extreme ledger; each changes 马桥's 2024 project inside the transaction. */
const KINDS: Record<string, (trx: DB, ledger: Ledger, random: Random) => Promise<void>> = {
  "one huge payment, mixed": async (trx, ledger, random) => {
    await pay(trx, ledger, { lineId: null, paidOn: day(random), personTimes: 1, amount: "50000000.00" });
  },
  "one huge payment on a line": async (trx, ledger, random) => {
    const lineId = ledger.lineIds[randomInt(random, ledger.lineIds.length)]!;
    await pay(trx, ledger, { lineId, paidOn: day(random), personTimes: randomInt(random, 3), amount: "99999999.99" });
  },
  "huge payments in many months": async (trx, ledger, random) => {
    for (let k = 0; k < 6; k++) await pay(trx, ledger, { lineId: null, paidOn: day(random), personTimes: 1 + randomInt(random, 5), amount: `${1 + randomInt(random, 9)}0000000.00` });
  },
  "a tiny amount for many person-times": async (trx, ledger, random) => {
    await pay(trx, ledger, { lineId: null, paidOn: day(random), personTimes: 100_000, amount: "0.01" });
  },
  "one month only": async (trx, ledger, random) => {
    const month = 1 + randomInt(random, 12);
    await trx.deleteFrom("payment").where("project_id", "=", ledger.projectId).where(sql<number>`extract(month from paid_on)`, "<>", month).execute();
  },
  "a year with no payments": async (trx, ledger) => {
    await trx.deleteFrom("payment").where("project_id", "=", ledger.projectId).execute();
  },
  "zero person-times throughout": async (trx, ledger) => {
    await trx.updateTable("payment").set({ person_times: 0, returned_count: 0 }).where("project_id", "=", ledger.projectId).execute();
  },
  "large negative adjustments": async (trx, ledger, random) => {
    for (const lineId of ledger.lineIds) {
      if (random() < 0.5) continue;
      await trx.insertInto("budget_adjustment").values({ budget_line_id: lineId, adjusted_on: day(random), amount: "-90000000.00", fund_level: "区级", reason: "调减（测试）" }).execute();
    }
  },
  "reversals of ordinary payments": async (trx, ledger, random) => {
    const payments = await trx.selectFrom("payment").select("id").where("project_id", "=", ledger.projectId).where("reverses_payment_id", "is", null).execute();
    for (const { id } of payments) if (random() < 0.4) await reverse(trx, id, random);
  },
  "a huge payment reversed in a later month": async (trx, ledger, random) => {
    const id = await pay(trx, ledger, { lineId: null, paidOn: `2024-0${1 + randomInt(random, 6)}-15`, personTimes: 1, amount: "50000000.00" });
    await reverse(trx, id, random);
  },
  "a huge payment dated the year before": async (trx, ledger, random) => {
    await pay(trx, ledger, { lineId: null, paidOn: day(random, 2023), personTimes: 1, amount: "50000000.00" });
  },
};

/** Checks one plan as the page gets it: every amount exact, lines = price × quantity, months and change splits add up, totals foot. */
function expectPlanFoots(plan: Omit<UnitPlan, "lines" | "stamp" | "existing">, label: string) {
  let planTotal = 0n;
  for (const unit of plan.units) {
    let unitTotal = 0n;
    for (const project of unit.projects) {
      for (const line of project.lines) {
        const amount = cents(line.amount);
        expect(amount * 100n, `${label}: ${line.item} = unit price × quantity`).toBe(cents(line.unitPrice) * cents(line.quantity));
        expect(sum(line.monthly.map((m) => m.amount)), `${label}: ${line.item} months`).toBe(amount);
        expect(cents(line.change.volume) + cents(line.change.policy) + cents(line.change.unitCost), `${label}: ${line.item} change`).toBe(cents(line.change.total));
        expect(cents(line.change.lastYear) + cents(line.change.total), `${label}: ${line.item} last year + change`).toBe(amount);
        for (const value of [line.lastYear.initial, line.lastYear.adjusted, line.lastYear.executed]) cents(value);
        if (line.forecast) {
          for (const bound of [line.forecast.amount, line.forecast.interval80.lower, line.forecast.interval80.upper, line.forecast.interval95.lower, line.forecast.interval95.upper]) cents(bound);
          expect(cents(line.forecast.interval95.lower) <= cents(line.forecast.amount) && cents(line.forecast.amount) <= cents(line.forecast.interval95.upper), `${label}: ${line.item} inside its interval`).toBe(true);
          for (const m of line.monthly) for (const bound of [m.lower80, m.upper80, m.lower95, m.upper95]) cents(bound!);
        }
      }
      expect(cents(project.total.amount), `${label}: project total`).toBe(sum(project.lines.map((l) => l.amount)));
      for (const value of [project.total.forecast, project.total.interval80.lower, project.total.interval80.upper, project.total.interval95.lower, project.total.interval95.upper])
        cents(value);
      unitTotal += cents(project.total.amount);
    }
    expect(cents(unit.total.amount), `${label}: unit total`).toBe(unitTotal);
    planTotal += unitTotal;
  }
  expect(cents(plan.total.amount), `${label}: plan total`).toBe(planTotal);
}

async function runCli(db: DB, args: string[]): Promise<{ code: number; text: string }> {
  let text = "";
  const output = new Writable({
    write(chunk, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  });
  const code = await forecastCommand(db, args, output);
  return { code, text };
}

describe("extreme ledgers", () => {
  let db: DB;
  let drop: () => Promise<void>;
  let town: number;
  let ledger: Ledger;

  beforeAll(async () => {
    ({ db, drop } = await freshDatabase(inject("serverUrl"), { seed: true }));
    town = (await findUnitByName(db, "马桥镇"))!.id;
    const project = await db
      .selectFrom("project as p")
      .innerJoin("org_unit as u", "u.id", "p.unit_id")
      .select("p.id")
      .where("u.name", "=", MAQIAO)
      .where("p.fiscal_year", "=", 2024)
      .executeTakeFirstOrThrow();
    const lines = await db.selectFrom("budget_line").select("id").where("project_id", "=", project.id).orderBy("line_no").execute();
    ledger = { projectId: project.id, lineIds: lines.map((l) => l.id) };
  }, 120_000);
  afterAll(async () => drop?.());

  it("the issue's ledger: one 50,000,000.00 元 payment for 1 人次 in December, imported — the plan and the CLI explain and exclude it", async () => {
    const before = await loadPlan(db, 2025, town);
    const report = await runImport(db, {
      kind: "payments",
      fileHash: "e".repeat(64),
      fileName: "huge.csv",
      importer: cli,
      commit: true,
      // The payment exceeds the project's budget for the year: imported once the user acknowledges it (helper D2's check).
      acceptOverBudget: true,
      source: {
        headers: PAYMENT_HEADERS,
        rows: (async function* () {
          yield { rowNumber: 2, cells: ["2024", MAQIAO, "医疗救助", "", "2024-12-20", "社会化发放", "1", "50,000,000.00", "", "", "", "", "元/万元混淆"] };
        })(),
      },
    });
    expect(report.committed).toBe(true);
    try {
      const plan = await loadPlan(db, 2025, town);
      expectPlanFoots(plan, "issue");
      const slip = await db.selectFrom("payment").select("id").where("note", "=", "元/万元混淆").executeTakeFirstOrThrow();
      for (const line of plan.lines.filter((l) => l.method === "model")) {
        // Each person-time line got a share of the mixed batch: the one payment is left out of what the model learns
        // from (the import's 元/万元 rule: 2,106× the project's median payment), with the reason.
        expect(line.notes.map((n) => [n.code, n.params.id, n.params.ratio]), line.item).toEqual([["slipPayment", String(slip.id), "2,106"]]);
        // Last year's execution is the ledger's, slip included.
        const clean = before.lines.find((l) => l.sourceLineId === line.sourceLineId)!;
        expect(new Decimal(line.lastYear.executed).greaterThan(clean.lastYear.executed), line.item).toBe(true);
      }
      // The plan is the clean ledger's, line by line, to the cent: the real December batch stays in the history
      // (before, with whole months screened, the modelled lines came out 19.7% low; before the fix 门急诊 was
      // 9,651,565.98 instead of about 250,000, or the forecast crashed).
      expect(plan.lines.map((l) => [l.item, l.quantity, l.unitPrice, l.amount])).toEqual(before.lines.map((l) => [l.item, l.quantity, l.unitPrice, l.amount]));
      expect(plan.total.amount).toBe(before.total.amount);
      const text = await runCli(db, ["--year", "2025", "--unit", "马桥镇"]);
      expect(text.code).toBe(0);
      expect(text.text).toContain(`支付 #${slip.id}（2024-12-20，50,000,000.00 元，人次 1）是本项目支付金额中位数`);
      expect(text.text).toContain("疑似元/万元混淆：未用于预测，仍计入上年执行数");
      const json = await runCli(db, ["--year", "2025", "--unit", "马桥镇", "--json"]);
      const lines = JSON.parse(json.text).units[0].projects[0].lines as Array<{ method: string; notes: Array<{ code: string; params: { month: string } }> }>;
      for (const line of lines.filter((l) => l.method === "model")) expect(line.notes.map((n) => n.code)).toEqual(["slipPayment"]);
    } finally {
      await db.deleteFrom("payment").where("note", "=", "元/万元混淆").execute();
    }
  });

  it("property: for generated extreme ledgers the plan, the forecast CLI and the dashboard answer, every amount finite and footing", async () => {
    const random = createRandom(20241231);
    const names = Object.keys(KINDS);
    // Every kind alone, then random combinations of two or three.
    const scenarios: string[][] = [...names.map((name) => [name])];
    for (let k = 0; k < 20; k++) scenarios.push(Array.from({ length: 2 + randomInt(random, 2) }, () => names[randomInt(random, names.length)]!));
    const started = Date.now();
    for (const scenario of scenarios) {
      const label = scenario.join(" + ");
      await inRolledBack(db, async (trx) => {
        for (const kind of scenario) await KINDS[kind]!(trx, ledger, random);
        const plan = await loadPlan(trx, 2025, town);
        expect(plan.lines.length, label).toBeGreaterThan(0);
        expectPlanFoots(plan, label);
        // The page's data notes (shown next to the lines) come from the forecast's screening.
        for (const line of plan.lines)
          for (const note of line.notes) if ("month" in note.params) expect(String(note.params.month), label).toMatch(/^\d{4}-\d{2}$/);
        const cliRun = await runCli(trx, ["--year", "2025", "--unit", "马桥镇", "--json"]);
        expect(cliRun.code, label).toBe(0);
        const json = JSON.parse(cliRun.text);
        for (const unit of json.units) for (const project of unit.projects) {
          for (const line of project.lines) {
            expect(cents(line.amount) * 100n, `${label}: CLI ${line.item}`).toBe(cents(line.unitPrice) * cents(line.quantity));
            expect(sum(line.monthly.map((m: { amount: string }) => m.amount)), `${label}: CLI ${line.item} months`).toBe(cents(line.amount));
          }
          expect(cents(project.total.amount), `${label}: CLI project total`).toBe(sum(project.lines.map((l: { amount: string }) => l.amount)));
        }
        const dashboard = await executionReport(trx, { year: 2024, asOf: "2024-12-31" });
        for (const row of dashboard.rows) for (const value of [row.initial, row.adjusted, row.executed]) cents(value);
        const counted = dashboard.rows.filter((r) => !r.declarationOnly);
        expect(cents(dashboard.total.executed), `${label}: dashboard executed`).toBe(sum(counted.map((r) => r.executed)));
        expect(cents(dashboard.total.adjusted), `${label}: dashboard adjusted`).toBe(sum(counted.map((r) => r.adjusted)));
        for (const unit of dashboard.units) cents(unit.executed);
      });
    }
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
