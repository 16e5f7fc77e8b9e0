import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import Decimal from "decimal.js";
import { sql } from "kysely";
import { freshDatabase } from "./support/database.ts";
import type { DB } from "../db/pool.ts";
import { projectAmountsAsOf } from "../db/execution.ts";
import { forecastInput } from "../db/forecast-input.ts";
import { planInputs, previousYearProfile } from "../db/planned-progress.ts";
import { runImport, type Importer, type ImportSource } from "../features/import/queries/run.ts";
import { textOf, type Stored } from "../features/import/rules/render.ts";
import { adjustedBudget, executedAmount, type PaymentEntry } from "../domain/execution.ts";
import { reversingAmounts } from "../domain/corrections.ts";
import { money, sumMoney, toAmountString } from "../domain/money.ts";
import { createRandom, randomInt, type Random } from "../forecasting/random.ts";

/*
 * One definition of 执行数 (docs/decisions/015): every place that computes what payments executed —
 * the execution_monthly rollup (its trigger), the dashboard's figures as of a date (db/execution.ts:
 * whole months from the rollup, the rest of the as-of month from the payments), the import's
 * "beyond the budget after the import" warning (features/import/queries/warnings.ts) and the forecast's monthly
 * history (db/forecast-input.ts) — against the reference rule, domain/execution.ts, computed here from
 * the same rows. The ledgers are generated from a seed: returns whole and partial, re-issues the same
 * day, later in the month, in later months and in the next year, payments on the first and last day of
 * a month, on 29 Feb and 31 Dec and after their year, reversing entries (红字冲销); then rows are
 * changed and deleted (the trigger's UPDATE and DELETE paths) and a project is deleted.
 */

const SEED = 20_240_531;
const YEARS = [2023, 2024] as const;
const UNITS = ["生成单位甲", "生成单位乙"];
const NAMES = ["生成项目01", "生成项目02", "生成项目03"];
const ITEMS = ["明细A", "明细B", "明细C"];
const PAYMENT_HEADERS = ["年度", "预算单位", "项目名称", "项目明细", "支付日期", "支付方式", "人次", "金额(元)", "到期日", "退回人次", "退回金额", "重发日期", "备注"];
const importer: Importer = { userId: null, username: "generator", unitSubtree: null, defaultParentUnitId: null };

// — dates —
const pad = (n: number) => String(n).padStart(2, "0");
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const addDays = (date: string, days: number) => iso(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000);
/** The last day of a month (1–12); month 0 is December of the year before. */
const monthEnd = (year: number, month: number) => iso(Date.UTC(year, month, 0));
const yearOf = (date: string) => Number(date.slice(0, 4));
const monthNo = (date: string) => Number(date.slice(5, 7));
/** Every month from one to another, inclusive, as [year, month]. */
function months(from: [number, number], to: [number, number]): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  for (let [y, m] = from; y < to[0] || (y === to[0] && m <= to[1]); m === 12 ? ((y += 1), (m = 1)) : (m += 1)) result.push([y, m]);
  return result;
}
const key = (year: number, month: number) => `${year}-${pad(month)}`;

// — the ledger as read back from the database —
interface LedgerPayment extends PaymentEntry {
  id: string;
  projectId: number;
  lineId: number | null;
  personTimes: number | null;
  returnedCount: number;
  reversal: boolean;
}
interface LedgerProject {
  id: number;
  year: number;
  unit: string;
  name: string;
}
interface LedgerLine {
  id: number;
  projectId: number;
  item: string;
  initial: string;
}
interface Ledger {
  projects: LedgerProject[];
  lines: LedgerLine[];
  adjustments: Array<{ lineId: number; adjustedOn: string; amount: string }>;
  payments: LedgerPayment[];
}

async function readLedger(db: DB): Promise<Ledger> {
  const projects = await db
    .selectFrom("project as p")
    .innerJoin("org_unit as u", "u.id", "p.unit_id")
    .select(["p.id", "p.fiscal_year as year", "u.name as unit", "p.name"])
    .execute();
  const lines = await db.selectFrom("budget_line").select(["id", "project_id as projectId", "item", "initial_amount as initial"]).execute();
  const adjustments = await db.selectFrom("budget_adjustment").select(["budget_line_id as lineId", "adjusted_on as adjustedOn", "amount"]).execute();
  const rows = await db.selectFrom("payment").selectAll().orderBy("id").execute();
  const payments = rows.map((row) => ({
    id: row.id,
    projectId: row.project_id,
    lineId: row.budget_line_id,
    paidOn: row.paid_on,
    amount: row.amount,
    returnedAmount: row.returned_amount,
    reissuedOn: row.reissued_on,
    personTimes: row.person_times,
    returnedCount: row.returned_count,
    reversal: row.reverses_payment_id !== null,
  }));
  return { projects, lines, adjustments, payments };
}

// — the reference rule (domain/execution.ts) —
/** Executed within a month: as of its last day less as of the last day of the month before. */
const executedIn = (payments: readonly PaymentEntry[], year: number, month: number) =>
  money(executedAmount(payments, monthEnd(year, month))).minus(executedAmount(payments, monthEnd(year, month - 1)));
/** A payment's person-times as the same rule counts money: less the returned count until re-issued (decision 015). */
const asPersons = (p: LedgerPayment): PaymentEntry => ({ paidOn: p.paidOn, amount: String(p.personTimes ?? 0), returnedAmount: String(p.personTimes === null ? 0 : p.returnedCount), reissuedOn: p.reissuedOn });
const ofProject = (ledger: Ledger, projectId: number) => ledger.payments.filter((p) => p.projectId === projectId);
/** Every month a generated contribution can fall in. */
const ALL_MONTHS = months([2022, 12], [2027, 12]);

// — generation —
const cents = (random: Random, from: number, to: number) => new Decimal(from + randomInt(random, to - from + 1)).dividedBy(100).toFixed(2);

function paidOn(random: Random, year: number): string {
  const month = 1 + randomInt(random, 12);
  switch (randomInt(random, 12)) {
    case 0:
      return `${year}-12-31`;
    case 1:
      return `${year}-${pad(month)}-01`;
    case 2:
      return monthEnd(year, month);
    case 3:
      return `${year + 1}-01-${pad(1 + randomInt(random, 20))}`; // paid after its year
    case 4:
      return year % 4 === 0 ? `${year}-02-29` : `${year}-01-01`;
    case 5:
      return `${year}-01-01`;
    default:
      return addDays(`${year}-01-01`, randomInt(random, 365));
  }
}

function reissuedOn(random: Random, paid: string): string {
  switch (randomInt(random, 7)) {
    case 0:
      return paid;
    case 1:
      return addDays(paid, 1 + randomInt(random, 9));
    case 2:
      return addDays(monthEnd(yearOf(paid), monthNo(paid)), 1); // the first of the next month
    case 3:
      return monthEnd(yearOf(paid), monthNo(paid));
    case 4:
      return addDays(paid, 30 + randomInt(random, 150));
    case 5:
      return `${yearOf(paid) + 1}-01-${pad(1 + randomInt(random, 28))}`; // the next year
    default:
      return addDays(paid, randomInt(random, 60));
  }
}

interface NewPayment {
  lineId: number | null;
  paidOn: string;
  kind: "batch" | "transfer";
  personTimes: number | null;
  amount: string;
  returnedCount: number;
  returnedAmount: string;
  reissuedOn: string | null;
}

function newPayment(random: Random, year: number, lineIds: readonly number[]): NewPayment {
  const paid = paidOn(random, year);
  const transfer = random() < 0.15;
  const personTimes = transfer ? null : 1 + randomInt(random, 80);
  const amount = cents(random, 100_000, 9_999_999); // 1,000.00–99,999.99: no 元/万元 slips among them
  const roll = random();
  const returned = roll < 0.12 ? amount : roll < 0.4 ? cents(random, 1, Number(amount.replace(".", "")) - 1) : "0.00";
  const returnedCount = personTimes === null || returned === "0.00" ? 0 : returned === amount ? personTimes : randomInt(random, personTimes + 1);
  const reissued = returned !== "0.00" && random() < 0.65 ? reissuedOn(random, paid) : null;
  return {
    lineId: random() < 0.2 ? null : lineIds[randomInt(random, lineIds.length)]!,
    paidOn: paid,
    kind: transfer ? "transfer" : "batch",
    personTimes,
    amount,
    returnedCount,
    returnedAmount: returned,
    reissuedOn: reissued,
  };
}

async function generate(db: DB, random: Random): Promise<void> {
  for (const unit of UNITS) {
    const { id: unitId } = await db.insertInto("org_unit").values({ name: unit, level: "unit", parent_id: null, code: null }).returning("id").executeTakeFirstOrThrow();
    for (const year of YEARS) {
      for (const name of NAMES) {
        const { id: projectId } = await db
          .insertInto("project")
          .values({ fiscal_year: year, name, unit_id: unitId, code: null, supervising_department: null, implementing_unit: null, category: null, note: null })
          .returning("id")
          .executeTakeFirstOrThrow();
        const items = ITEMS.slice(0, 2 + randomInt(random, 2));
        const lineIds: number[] = [];
        for (const [index, item] of items.entries()) {
          const { id } = await db
            .insertInto("budget_line")
            .values({
              project_id: projectId, line_no: index + 1, item, fund_level: "区级", fund_type: "当年财政拨款", initial_amount: cents(random, 0, 40_000_000),
              unit_price: null, quantity: null, basis: null, scheduled_months: null, functional_code: null, functional_name: null, economic_code: null, economic_name: null,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          lineIds.push(id);
          for (let k = randomInt(random, 3); k > 0; k--) {
            const on = [`${year}-12-31`, `${year + 1}-01-01`, addDays(`${year}-01-01`, randomInt(random, 365))][randomInt(random, 3)]!;
            const amount = (random() < 0.3 ? "-" : "") + cents(random, 1, 5_000_000);
            await db.insertInto("budget_adjustment").values({ budget_line_id: id, adjusted_on: on, amount, fund_level: "区级", document_number: null }).execute();
          }
        }
        // One statement for most of the project's payments (the trigger sees them as one transition table), a few one by one.
        const payments = Array.from({ length: 12 + randomInt(random, 10) }, () => newPayment(random, year, lineIds));
        const values = payments.map((p) => ({
          project_id: projectId, budget_line_id: p.lineId, paid_on: p.paidOn, kind: p.kind, person_times: p.personTimes, amount: p.amount,
          due_on: null, returned_count: p.returnedCount, returned_amount: p.returnedAmount, reissued_on: p.reissuedOn, note: null,
        }));
        const ids = [
          ...(await db.insertInto("payment").values(values.slice(0, -3)).returning("id").execute()),
          ...(await Promise.all(values.slice(-3).map((v) => db.insertInto("payment").values(v).returning("id").executeTakeFirstOrThrow()))),
        ].map((row) => row.id);
        // Reversing entries (红字冲销) as db/corrections.ts writes them, some on a later date.
        for (const [index, p] of payments.entries()) {
          if (random() >= 0.1) continue;
          const reversedOn = addDays(p.paidOn, randomInt(random, 3) === 0 ? 0 : randomInt(random, 90));
          const mirror = reversingAmounts(p, reversedOn);
          await db
            .insertInto("payment")
            .values({
              project_id: projectId, budget_line_id: p.lineId, paid_on: reversedOn, kind: p.kind, person_times: mirror.personTimes, amount: mirror.amount, due_on: null,
              returned_count: mirror.returnedCount, returned_amount: mirror.returnedAmount, reissued_on: mirror.reissuedOn, note: null,
              reverses_payment_id: ids[index]!, correction_reason: "红字冲销（生成）",
            })
            .execute();
        }
      }
    }
  }
}

/** Changes and deletes rows (the rollup trigger's UPDATE and DELETE paths), and deletes a project. */
async function mutate(db: DB, random: Random): Promise<void> {
  const ledger = await readLedger(db);
  const reversed = new Set((await db.selectFrom("payment").select("reverses_payment_id").where("reverses_payment_id", "is not", null).execute()).map((r) => r.reverses_payment_id));
  const originals = ledger.payments.filter((p) => !p.reversal && !reversed.has(p.id));
  for (const p of originals) {
    const roll = random();
    if (roll < 0.08) {
      await db.deleteFrom("payment").where("id", "=", p.id).execute();
    } else if (roll < 0.2) {
      // A re-issue recorded, moved or taken back; a return recorded after the fact.
      const returned = p.returnedAmount !== "0.00" ? p.returnedAmount : p.amount;
      const reissued = random() < 0.3 ? null : reissuedOn(random, p.paidOn);
      await db
        .updateTable("payment")
        .set({ returned_amount: returned, returned_count: p.personTimes ?? 0, reissued_on: reissued })
        .where("id", "=", p.id)
        .execute();
    } else if (roll < 0.26) {
      // Paid on another day of the same year or the next: the re-issue moves with it when it would precede it.
      const paid = paidOn(random, yearOf(p.paidOn));
      await db
        .updateTable("payment")
        .set({ paid_on: paid, reissued_on: p.reissuedOn !== null && p.reissuedOn < paid ? paid : p.reissuedOn })
        .where("id", "=", p.id)
        .execute();
    }
  }
  // One statement changing many rows of several projects at once: partial returns not re-issued yet are re-issued on 31 Dec.
  await sql`UPDATE payment SET reissued_on = greatest(paid_on, make_date(extract(year FROM paid_on)::int, 12, 31))
             WHERE reverses_payment_id IS NULL AND reissued_on IS NULL AND returned_amount > 0 AND returned_amount < amount AND id % 2 = 0
               AND NOT EXISTS (SELECT 1 FROM payment r WHERE r.reverses_payment_id = payment.id)`.execute(db);
  // A whole project goes, with its payments (migration 0004's path).
  const gone = ledger.projects.find((p) => p.year === 2023 && p.name === NAMES[2])!;
  await db.deleteFrom("project").where("id", "=", gone.id).execute();
}

// — the comparisons; each returns the differences found (none when all agree) —

async function rollupDifferences(db: DB, ledger: Ledger): Promise<string[]> {
  const stored = await db.selectFrom("execution_monthly").select(["project_id", "month", "executed"]).execute();
  const actual = new Map(stored.map((row) => [`${row.project_id}|${row.month.slice(0, 7)}`, row.executed]));
  const expected = new Map<string, string>();
  for (const project of ledger.projects) {
    const payments = ofProject(ledger, project.id);
    for (const [y, m] of ALL_MONTHS) {
      const executed = executedIn(payments, y, m);
      if (!executed.isZero()) expected.set(`${project.id}|${key(y, m)}`, toAmountString(executed));
    }
  }
  const differences: string[] = [];
  for (const k of new Set([...actual.keys(), ...expected.keys()])) {
    const [a, e] = [actual.get(k) ?? "0.00", expected.get(k) ?? "0.00"];
    if (a !== e) differences.push(`execution_monthly ${k}: ${a}, domain ${e}`);
  }
  return differences;
}

/** As-of dates: month boundaries, 29 Feb, 31 Dec, the next year, and the days of the ledger's own dates and the days before. */
function asOfDates(ledger: Ledger, year: number, random: Random): string[] {
  const fixed = [
    `${year}-01-01`, `${year}-01-31`, `${year}-02-28`, `${year}-02-29`, `${year}-03-01`, `${year}-06-15`, `${year}-06-30`, `${year}-07-01`,
    `${year}-11-30`, `${year}-12-01`, `${year}-12-30`, `${year}-12-31`, `${year + 1}-01-01`, `${year + 1}-01-15`, `${year + 1}-01-31`, `${year + 1}-06-30`,
  ].filter((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && iso(Date.parse(`${d}T00:00:00Z`)) === d);
  const ledgerDays = ledger.payments.flatMap((p) => [p.paidOn, p.reissuedOn]).filter((d): d is string => d !== null && yearOf(d) >= year && yearOf(d) <= year + 1);
  const drawn = Array.from({ length: 12 }, () => ledgerDays[randomInt(random, ledgerDays.length)]!).flatMap((d) => [d, addDays(d, -1)]);
  return [...new Set([...fixed, ...drawn])].sort();
}

async function dashboardDifferences(db: DB, ledger: Ledger, random: Random): Promise<{ differences: string[]; compared: number }> {
  const differences: string[] = [];
  let compared = 0;
  for (const year of YEARS) {
    for (const asOf of asOfDates(ledger, year, random)) {
      const rows = await projectAmountsAsOf(db, { year, asOf });
      expect(rows.map((r) => r.projectId).sort()).toEqual(ledger.projects.filter((p) => p.year === year).map((p) => p.id).sort());
      for (const row of rows) {
        const lines = ledger.lines.filter((l) => l.projectId === row.projectId);
        const initial = toAmountString(sumMoney(lines.map((l) => l.initial)));
        const adjustments = ledger.adjustments.filter((a) => lines.some((l) => l.id === a.lineId));
        const expected = { executed: executedAmount(ofProject(ledger, row.projectId), asOf), adjusted: adjustedBudget(initial, adjustments, asOf) };
        compared += 1;
        if (row.executed !== expected.executed) differences.push(`executed of project ${row.projectId} as of ${asOf}: ${row.executed}, domain ${expected.executed}`);
        if (row.adjusted !== expected.adjusted) differences.push(`adjusted of project ${row.projectId} as of ${asOf}: ${row.adjusted}, domain ${expected.adjusted}`);
      }
    }
  }
  return { differences, compared };
}

/**
 * The forecast's history of each base line of 2024 (for 2025): month by month the executed amounts and
 * person-times of the payments on the lines of its family (same unit, project name and item, 2023 and
 * 2024), from January of its first year with payments to the last month with any payment of its projects
 * (at most December 2024) — mixed batches are not shared out here, the lines have no planned quantity.
 */
async function forecastDifferences(db: DB, ledger: Ledger): Promise<{ differences: string[]; compared: number }> {
  const input = await forecastInput(db, { targetYear: 2025 });
  const projectById = new Map(ledger.projects.map((p) => [p.id, p]));
  const familyOf = (line: LedgerLine) => {
    const project = projectById.get(line.projectId)!;
    return `${project.unit}|${project.name}|${line.item}`;
  };
  const contributionMonths = (p: LedgerPayment) =>
    [p.paidOn, ...(p.reissuedOn !== null && p.reissuedOn > p.paidOn ? [p.reissuedOn] : [])].filter((d) => d < "2025-01-01" && p.paidOn < "2025-01-01").map((d) => d.slice(0, 7));
  const differences: string[] = [];
  let compared = 0;
  const baseLines = ledger.lines.filter((l) => projectById.get(l.projectId)?.year === 2024);
  expect(input.lines.map((l) => l.lineId).sort()).toEqual(baseLines.map((l) => l.id).sort());
  for (const base of baseLines) {
    const family = ledger.lines.filter((l) => familyOf(l) === familyOf(base) && projectById.get(l.projectId)!.year <= 2024);
    const payments = ledger.payments.filter((p) => family.some((l) => l.id === p.lineId));
    const history = input.histories.get(base.id);
    const monthsWith = payments.flatMap(contributionMonths);
    if (monthsWith.length === 0) {
      if (history !== undefined) differences.push(`forecast line ${base.id}: a history without payments`);
      continue;
    }
    const projects = new Set(family.map((l) => l.projectId));
    const last = [...ledger.payments.filter((p) => projects.has(p.projectId)).flatMap(contributionMonths), "0000-00"].sort().at(-1)!;
    const end = [last, "2024-12"].sort()[0]!;
    const first = Math.min(...monthsWith.map((m) => Number(m.slice(0, 4))));
    const series = months([first, 1], [Number(end.slice(0, 4)), Number(end.slice(5, 7))]);
    const expected = {
      start: key(first, 1),
      amounts: series.map(([y, m]) => executedIn(payments, y, m).toNumber()),
      personTimes: series.map(([y, m]) => executedIn(payments.map(asPersons), y, m).toNumber()),
      executed: toAmountString(sumMoney(series.filter(([y]) => y === 2024).map(([y, m]) => executedIn(payments, y, m)))),
    };
    compared += 1;
    if (history === undefined) {
      differences.push(`forecast line ${base.id}: no history, domain ${JSON.stringify(expected)}`);
      continue;
    }
    const actual = { start: history.start, amounts: history.amounts, personTimes: history.personTimes, executed: history.executed };
    if (JSON.stringify(actual) !== JSON.stringify(expected)) differences.push(`forecast line ${base.id}: ${JSON.stringify(actual)}, domain ${JSON.stringify(expected)}`);
  }
  return { differences, compared };
}

/**
 * The planned progress's history (db/planned-progress.ts): for each 2024 project, last year's monthly
 * executed amounts of the same unit's project of the same name — on the dashboard and on the project
 * page — are the domain rule's months of 2023 for that project's payments.
 */
async function planProfileDifferences(db: DB, ledger: Ledger): Promise<{ differences: string[]; compared: number }> {
  const inputs = await planInputs(db, { year: 2024, asOf: "2024-06-30" });
  const differences: string[] = [];
  let compared = 0;
  for (const project of ledger.projects.filter((p) => p.year === 2024)) {
    const previous = ledger.projects.filter((p) => p.year === 2023 && p.unit === project.unit && p.name === project.name).sort((a, b) => a.id - b.id)[0];
    const expected = previous ? MONTHS_1_TO_12.map((m) => toAmountString(executedIn(ofProject(ledger, previous.id), 2023, m))) : null;
    const dashboard = inputs.get(project.id)?.profile ?? null;
    const page = await previousYearProfile(db, project.id);
    compared += 1;
    if (JSON.stringify(dashboard) !== JSON.stringify(expected) || JSON.stringify(page) !== JSON.stringify(expected)) {
      differences.push(`plan profile of project ${project.id}: dashboard ${JSON.stringify(dashboard)}, page ${JSON.stringify(page)}, domain ${JSON.stringify(expected)}`);
    }
  }
  return { differences, compared };
}
const MONTHS_1_TO_12 = Array.from({ length: 12 }, (_, index) => index + 1);

/** A warning's text in Chinese, as the catalogue renders it. */
const warningText = (message: Stored) => textOf("zh", message);

/**
 * A dry run of a payments file for the 2024 projects: the warning "after the import, the payments of a
 * project exceed its adjusted budget (as of the year's end)" names a project exactly when the domain
 * rule's executed of its stored and imported payments as of 31 Dec exceeds its adjusted budget then,
 * with those two figures.
 */
async function importWarningDifferences(db: DB, ledger: Ledger, random: Random): Promise<{ differences: string[]; warned: number; quiet: number }> {
  const projects = ledger.projects.filter((p) => p.year === 2024);
  const staged = new Map<number, NewPayment[]>();
  const rows: string[][] = [];
  for (const project of projects) {
    const payments = Array.from({ length: 1 + randomInt(random, 4) }, () => ({ ...newPayment(random, 2024, [0]), lineId: null }));
    // At the year's end: a partial return re-issued in the next year, a whole one re-issued on 31 Dec.
    const amount = cents(random, 100_000, 9_999_999);
    payments.push({ lineId: null, paidOn: "2024-12-31", kind: "batch", personTimes: 10, amount, returnedCount: 1, returnedAmount: "100.00", reissuedOn: "2025-01-02" });
    payments.push({ lineId: null, paidOn: "2024-12-20", kind: "batch", personTimes: 5, amount, returnedCount: 5, returnedAmount: amount, reissuedOn: "2024-12-31" });
    staged.set(project.id, payments);
    for (const p of payments) {
      rows.push(["2024", project.unit, project.name, "", p.paidOn, p.kind === "batch" ? "社会化发放" : "划拨", p.personTimes === null ? "" : String(p.personTimes), p.amount, "",
        String(p.returnedCount), p.returnedAmount, p.reissuedOn ?? "", `生成第${rows.length + 1}笔`]);
    }
  }
  const source: ImportSource = {
    headers: PAYMENT_HEADERS,
    rows: (async function* () {
      for (const [index, cells] of rows.entries()) yield { rowNumber: index + 2, cells };
    })(),
  };
  const report = await runImport(db, { kind: "payments", source, fileHash: "e7".repeat(32), fileName: "生成支付.csv", importer, commit: false });
  expect(report.errors).toEqual([]);
  expect(report.rows.filter((r) => r.status !== "new")).toEqual([]);
  expect(report.committed).toBe(false);

  const differences: string[] = [];
  let warned = 0;
  let quiet = 0;
  const amounts = (text: string) => [...text.matchAll(/-?\d[\d,]*\.\d{2}/g)].map((m) => m[0].replace(/,/g, "")).sort();
  for (const project of projects) {
    const importing: PaymentEntry[] = staged.get(project.id)!;
    const yearEnd = "2024-12-31";
    const paid = executedAmount([...ofProject(ledger, project.id), ...importing], yearEnd);
    const lines = ledger.lines.filter((l) => l.projectId === project.id);
    const adjusted = adjustedBudget(toAmountString(sumMoney(lines.map((l) => l.initial))), ledger.adjustments.filter((a) => lines.some((l) => l.id === a.lineId)), yearEnd);
    const warnings = report.warnings.filter((w) => w.rowNumber === 0 && warningText(w.message).includes(project.name) && warningText(w.message).includes(project.unit));
    if (money(paid).greaterThan(adjusted)) {
      warned += 1;
      const found = warnings.map((w) => amounts(warningText(w.message)));
      if (JSON.stringify(found) !== JSON.stringify([[paid, adjusted].sort()])) differences.push(`over-budget warning of project ${project.id}: ${JSON.stringify(found)}, domain paid ${paid} adjusted ${adjusted}`);
    } else {
      quiet += 1;
      if (warnings.length > 0) differences.push(`over-budget warning of project ${project.id} (domain paid ${paid} ≤ adjusted ${adjusted}): ${warningText(warnings[0]!.message)}`);
    }
  }
  return { differences, warned, quiet };
}

describe("one definition of a payment's contribution to 执行数 (decision 015)", () => {
  let db: DB;
  let drop: () => Promise<void>;
  const random = createRandom(SEED);

  beforeAll(async () => {
    ({ db, drop } = await freshDatabase(inject("serverUrl")));
    await generate(db, random);
  });
  afterAll(async () => drop());

  it("generates ledgers with every kind of return and re-issue", async () => {
    const { payments } = await readLedger(db);
    const returned = payments.filter((p) => p.returnedAmount !== "0.00" && !p.reversal);
    expect(returned.filter((p) => p.returnedAmount === p.amount).length).toBeGreaterThan(3);
    expect(returned.filter((p) => p.reissuedOn === null).length).toBeGreaterThan(3);
    expect(returned.filter((p) => p.reissuedOn === p.paidOn).length).toBeGreaterThan(0);
    expect(returned.filter((p) => p.reissuedOn !== null && p.reissuedOn.slice(0, 7) > p.paidOn.slice(0, 7)).length).toBeGreaterThan(5);
    expect(returned.filter((p) => p.reissuedOn !== null && p.reissuedOn.slice(0, 4) > p.paidOn.slice(0, 4)).length).toBeGreaterThan(2);
    expect(payments.filter((p) => p.paidOn.endsWith("-12-31")).length).toBeGreaterThan(2);
    expect(payments.filter((p) => p.paidOn.endsWith("-01")).length).toBeGreaterThan(2);
    expect(payments.filter((p) => p.reversal).length).toBeGreaterThan(3);
  });

  it("the payment table admits no re-issue before its payment, which the dated contributions rely on", async () => {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM payment WHERE reissued_on < paid_on`.execute(db);
    expect(rows[0]!.n).toBe(0);
  });

  const everyUse = async () => {
    const ledger = await readLedger(db);
    const rollup = await rollupDifferences(db, ledger);
    const dashboard = await dashboardDifferences(db, ledger, random);
    const forecast = await forecastDifferences(db, ledger);
    const plan = await planProfileDifferences(db, ledger);
    expect(rollup).toEqual([]);
    expect(dashboard.differences).toEqual([]);
    expect(dashboard.compared).toBeGreaterThan(200);
    expect(forecast.differences).toEqual([]);
    expect(forecast.compared).toBeGreaterThan(5);
    expect(plan.differences).toEqual([]);
    expect(plan.compared).toBeGreaterThan(2);
    return ledger;
  };

  it("the rollup, the dashboard as of any date, the forecast's monthly history and the import's over-budget warning agree with domain/execution.ts", async () => {
    const ledger = await everyUse();
    const before = await db.selectFrom("payment").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    const warnings = await importWarningDifferences(db, ledger, random);
    expect(warnings.differences).toEqual([]);
    expect(warnings.warned).toBeGreaterThan(0);
    expect(warnings.quiet).toBeGreaterThan(0);
    const after = await db.selectFrom("payment").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("still agree after payments are changed, re-issued, deleted one by one and many at once, and a project is deleted", async () => {
    await mutate(db, random);
    await everyUse();
  });

  it("the over-budget warning's figure is the domain rule's for every project once the budgets are zero (so that each one is named)", async () => {
    await db.deleteFrom("budget_adjustment").execute();
    await db.updateTable("budget_line").set({ initial_amount: "0.00" }).execute();
    const ledger = await readLedger(db);
    const warnings = await importWarningDifferences(db, ledger, random);
    expect(warnings.differences).toEqual([]);
    expect(warnings.warned).toBe(ledger.projects.filter((p) => p.year === 2024).length);
  });
});
