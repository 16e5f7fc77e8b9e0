import type pg from "pg";

/*
 * City-scale synthetic ledger, generated inside PostgreSQL with generate_series (INSERT … SELECT),
 * never row by row from Node. Deterministic: every "random" choice is hashint4extended(i, seed),
 * so two runs with the same sizes produce the same rows (ids included, on a fresh database).
 */

/** Sizes of one fiscal year of synthetic data. */
export interface YearSpec {
  year: number;
  projects: number;
  /** Budget lines per project (60,000 lines = 20,000 projects × 3). */
  linesPerProject: number;
  payments: number;
}

export interface GenerateSpec {
  years: YearSpec[];
  /** Payments per INSERT statement (each statement fires the rollup trigger once). */
  paymentBatch: number;
  log?: (message: string) => void;
}

export interface GenerateResult {
  seconds: number;
  steps: Array<{ step: string; seconds: number; rows: number }>;
  counts: Record<string, number>;
}

const DISTRICTS = [
  "黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区",
  "宝山区", "嘉定区", "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区",
];
const TOWNS = 200;
/** District-level budget units (区级部门) under every district. */
const DISTRICT_UNITS = ["教育局", "卫生健康委员会", "民政局", "城市管理行政执法局", "农业农村委员会"];
/** Town-level budget units; each town gets the first 1–3 of them. */
const TOWN_UNITS = ["社区事务受理服务中心", "城市运行管理中心", "社区卫生服务中心"];
const CATEGORIES = ["民生保障", "城市管理", "教育", "卫生健康", "农业农村", "公共安全"];
const ITEMS = ["人员经费", "专项业务费", "设备购置", "运行维护", "委托服务"];
const FUND_LEVELS = ["中央", "市级", "区级", "镇级"];
const FUND_TYPES = ["当年财政拨款", "上年结转", "其他资金"];

/** SQL for a deterministic pseudo-random integer in [0, n) from an integer expression and a seed. */
function h(expr: string, seed: number, n: number | string): string {
  return `(((hashint4extended((${expr})::int, ${seed}) % (${n})) + (${n})) % (${n}))`;
}

/** A SQL text-array literal of fixed, trusted words (no quotes inside). */
function textArray(values: readonly string[]): string {
  return `ARRAY[${values.map((value) => `'${value}'`).join(", ")}]::text[]`;
}

/** Picks one element of a fixed list by a hash. */
function pick(values: readonly string[], expr: string, seed: number): string {
  return `(${textArray(values)})[1 + ${h(expr, seed, values.length)}]`;
}

/**
 * Fills an empty, migrated database: 上海市 → 16 districts → 200 towns → budget units, then per
 * fiscal year its projects, budget lines, adjustments and payments. Runs on one connection (the
 * helper tables are temporary) and ends with VACUUM ANALYZE, as a database in steady state would be.
 */
export async function generateLedger(client: pg.Client, spec: GenerateSpec): Promise<GenerateResult> {
  const log = spec.log ?? (() => {});
  const steps: GenerateResult["steps"] = [];
  const started = performance.now();
  const step = async (name: string, text: string, params: unknown[] = []) => {
    const t0 = performance.now();
    const result = await client.query(text, params);
    const seconds = (performance.now() - t0) / 1000;
    steps.push({ step: name, seconds, rows: result.rowCount ?? 0 });
    log(`  ${name}: ${result.rowCount ?? 0} rows in ${seconds.toFixed(1)} s`);
    return result;
  };

  // --- organisation units -------------------------------------------------------------------
  await step("city", `INSERT INTO org_unit (name, level, code) VALUES ('上海市', 'city', '310000')`);
  await step(
    "districts",
    `INSERT INTO org_unit (parent_id, name, level, code)
     SELECT (SELECT id FROM org_unit WHERE level = 'city'), d.name, 'district', '3101' || lpad(d.ord::text, 2, '0')
       FROM unnest($1::text[]) WITH ORDINALITY AS d(name, ord)
      ORDER BY d.ord`,
    [DISTRICTS],
  );
  // Towns are dealt round-robin: 12 or 13 per district.
  await step(
    "towns",
    `INSERT INTO org_unit (parent_id, name, level, code)
     SELECT d.id, d.name || '第' || lpad((((t - 1) / $1) + 1)::text, 2, '0') || '镇', 'town',
            d.code || lpad((((t - 1) / $1) + 1)::text, 3, '0')
       FROM generate_series(1, ${TOWNS}) AS t
       JOIN org_unit d ON d.level = 'district' AND d.code = '3101' || lpad((((t - 1) % $1) + 1)::text, 2, '0')
      ORDER BY t`,
    [DISTRICTS.length],
  );
  await step(
    "district units",
    `INSERT INTO org_unit (parent_id, name, level)
     SELECT d.id, d.name || u.name, 'unit'
       FROM org_unit d CROSS JOIN unnest($1::text[]) WITH ORDINALITY AS u(name, ord)
      WHERE d.level = 'district'
      ORDER BY d.id, u.ord`,
    [DISTRICT_UNITS],
  );
  await step(
    "town units",
    `INSERT INTO org_unit (parent_id, name, level)
     SELECT t.id, t.name || u.name, 'unit'
       FROM org_unit t CROSS JOIN unnest($1::text[]) WITH ORDINALITY AS u(name, ord)
      WHERE t.level = 'town' AND u.ord <= 1 + ${h("t.id", 7, 3)}
      ORDER BY t.id, u.ord`,
    [TOWN_UNITS],
  );
  // Projects belong to towns (镇本级) and to budget units, district- and town-level.
  await client.query(
    `CREATE TEMP TABLE b_unit AS
     SELECT (row_number() OVER (ORDER BY id))::int - 1 AS idx, id FROM org_unit WHERE level IN ('town', 'unit')`,
  );
  await client.query(`CREATE UNIQUE INDEX ON b_unit (idx)`);
  const unitCount = Number((await client.query(`SELECT count(*) AS n FROM b_unit`)).rows[0].n);

  for (const y of spec.years) await generateYear(y, unitCount);

  const t0 = performance.now();
  await client.query(`VACUUM ANALYZE`);
  steps.push({ step: "VACUUM ANALYZE", seconds: (performance.now() - t0) / 1000, rows: 0 });
  log(`  VACUUM ANALYZE in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const counts: Record<string, number> = {};
  for (const table of ["org_unit", "project", "budget_line", "budget_adjustment", "payment", "execution_monthly"]) {
    counts[table] = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  }
  const unitLevels = await client.query<{ level: string; n: string }>(`SELECT level, count(*) AS n FROM org_unit GROUP BY level`);
  for (const row of unitLevels.rows) counts[`org_unit.${row.level}`] = Number(row.n);
  const byYear = await client.query<{ fiscal_year: number; projects: string; payments: string; returned: string; reissued: string }>(
    `SELECT p.fiscal_year, count(DISTINCT p.id) AS projects, count(pay.id) AS payments,
            count(pay.id) FILTER (WHERE pay.returned_amount > 0) AS returned,
            count(pay.id) FILTER (WHERE pay.reissued_on IS NOT NULL) AS reissued
       FROM project p LEFT JOIN payment pay ON pay.project_id = p.id GROUP BY p.fiscal_year`,
  );
  for (const row of byYear.rows) {
    counts[`project.${row.fiscal_year}`] = Number(row.projects);
    counts[`payment.${row.fiscal_year}`] = Number(row.payments);
    counts[`payment.${row.fiscal_year}.returned`] = Number(row.returned);
    counts[`payment.${row.fiscal_year}.reissued`] = Number(row.reissued);
  }
  return { seconds: (performance.now() - started) / 1000, steps, counts };

  async function generateYear(y: YearSpec, units: number): Promise<void> {
    const { year, projects, linesPerProject: lines } = y;
    const s = year * 100; // seeds of this year: s + 1, s + 2, …
    const days = `(date '${year + 1}-01-01' - date '${year}-01-01')`;
    log(`  fiscal year ${year}: ${projects} projects, ${projects * lines} lines, ${y.payments} payments`);

    await step(
      `${year} projects`,
      `INSERT INTO project (fiscal_year, code, name, unit_id, supervising_department, implementing_unit, recurring, category)
       SELECT ${year}, '${year}-' || lpad(i::text, 6, '0'),
              ${pick(CATEGORIES, "i", s + 2)} || '项目' || lpad(i::text, 6, '0'),
              u.id, '区财政局', u_name.name, ${h("i", s + 3, 10)} < 7, ${pick(CATEGORIES, "i", s + 2)}
         FROM generate_series(1, ${projects}) AS i
         JOIN b_unit u ON u.idx = ${h("i", s + 1, units)}
         JOIN org_unit u_name ON u_name.id = u.id
        ORDER BY i`,
    );
    await client.query(
      `CREATE TEMP TABLE b_project_${year} AS
       SELECT (row_number() OVER (ORDER BY id))::int - 1 AS idx, id FROM project WHERE fiscal_year = ${year}`,
    );
    await client.query(`CREATE UNIQUE INDEX ON b_project_${year} (idx)`);

    // Lines: 200,000.00 – 1,400,000.00 each.
    await step(
      `${year} budget lines`,
      `INSERT INTO budget_line (project_id, line_no, item, fund_level, fund_type, initial_amount, scheduled_months,
                                functional_code, economic_code)
       SELECT p.id, l, (${textArray(ITEMS)})[l], ${pick(FUND_LEVELS, `p.idx * ${lines} + l`, s + 11)},
              ${pick(FUND_TYPES, `p.idx * ${lines} + l`, s + 12)},
              (20000000 + ${h(`p.idx * ${lines} + l`, s + 13, 120000000)})::numeric / 100,
              ARRAY[1,2,3,4,5,6,7,8,9,10,11,12]::smallint[], '2080' || (l % 10)::text, '302' || lpad(l::text, 2, '0')
         FROM b_project_${year} p CROSS JOIN generate_series(1, ${lines}) AS l
        ORDER BY p.idx, l`,
    );
    await client.query(
      `CREATE TEMP TABLE b_line_${year} AS
       SELECT bl.id, bl.project_id, p.idx AS project_idx, bl.line_no, bl.initial_amount
         FROM budget_line bl JOIN b_project_${year} p ON p.id = bl.project_id`,
    );
    await client.query(`CREATE UNIQUE INDEX ON b_line_${year} (project_idx, line_no)`);

    // Adjustments: two chances of 25% per line, dated through the year, 0.01%–15% of the line,
    // a third of them 调减 (negative).
    const key = `(b.project_idx * ${lines} + b.line_no) * 2 + k`;
    await step(
      `${year} adjustments`,
      `INSERT INTO budget_adjustment (budget_line_id, adjusted_on, amount, fund_level, reason, document_number)
       SELECT b.id, date '${year}-01-01' + ${h(key, s + 21, days)}::int,
              (CASE WHEN ${h(key, s + 22, 3)} = 0 THEN -1 ELSE 1 END)
                * round(b.initial_amount * (1 + ${h(key, s + 23, 1500)}) / 10000, 2),
              ${pick(FUND_LEVELS, key, s + 24)}, '年中调整', '沪财预〔${year}〕' || (${key})::text || '号'
         FROM b_line_${year} b CROSS JOIN generate_series(1, 2) AS k
        WHERE ${h(key, s + 20, 100)} < 25
        ORDER BY b.id, k`,
    );

    // Payments: 1.00 – 50,000.00 each, dated through the year; 15% transfers (with a due date),
    // the rest batches with person-times; 3% partly or wholly returned, 70% of those re-issued
    // 1–60 days later (some after the as-of dates, some in the next year); 90% on a budget line.
    for (let from = 1; from <= y.payments; from += spec.paymentBatch) {
      const to = Math.min(from + spec.paymentBatch - 1, y.payments);
      await step(
        `${year} payments ${from}–${to}`,
        `WITH g AS (
           SELECT i, ${h("i", s + 31, projects)} AS project_idx,
                  CASE WHEN ${h("i", s + 32, 10)} = 0 THEN NULL ELSE 1 + ${h("i", s + 33, lines)} END AS line_no,
                  date '${year}-01-01' + ${h("i", s + 34, days)}::int AS paid_on,
                  ${h("i", s + 35, 100)} < 15 AS transfer,
                  1 + ${h("i", s + 36, 300)} AS person_times,
                  (100 + ${h("i", s + 37, 4999901)})::numeric / 100 AS amount,
                  ${h("i", s + 38, 1000)} < 30 AS returned,
                  ${h("i", s + 39, 10)} < 7 AS reissued
             FROM generate_series(${from}, ${to}) AS i
         )
         INSERT INTO payment (project_id, budget_line_id, paid_on, kind, person_times, amount, due_on,
                              returned_count, returned_amount, reissued_on, note)
         SELECT p.id, bl.id, g.paid_on,
                CASE WHEN g.transfer THEN 'transfer' ELSE 'batch' END,
                CASE WHEN g.transfer THEN NULL ELSE g.person_times END,
                g.amount,
                CASE WHEN g.transfer THEN g.paid_on + 15 + ${h("i", s + 40, 60)}::int END,
                CASE WHEN NOT g.returned THEN 0 WHEN g.transfer THEN 1 ELSE 1 + ${h("i", s + 41, "g.person_times")} END,
                CASE WHEN g.returned THEN round(g.amount * (1 + ${h("i", s + 42, 100)}) / 100, 2) ELSE 0 END,
                CASE WHEN g.returned AND g.reissued THEN g.paid_on + 1 + ${h("i", s + 43, 60)}::int END,
                NULL
           FROM g
           JOIN b_project_${year} p ON p.idx = g.project_idx
           LEFT JOIN b_line_${year} bl ON bl.project_idx = g.project_idx AND bl.line_no = g.line_no
          ORDER BY g.i`,
      );
    }
  }
}
