import type { Transaction } from "kysely";
import type { Database } from "./schema.ts";
import demoProjects from "./demo/projects.json" with { type: "json" };
import demoUnits from "./demo/units.json" with { type: "json" };
import demoBatchDates from "./demo/batch-dates.json" with { type: "json" };
import demoNotices from "./demo/notices.json" with { type: "json" };
import { insertNotice } from "../features/payments/queries/notices.ts";

/*
 * The demo's time data (issue 15): the 受理 / 审核完成 / 审批 dates of 马桥's 26 batches of 2024
 * (db/demo/batch-dates.json, 推定: seeds/001 gives none), added as the import's optional columns to the demo
 * payments file, so that they come in through the import's checks like a user's; and the two settlement
 * notices (结算通知书) of 2024 with the transfers that settled them late (db/demo/notices.json).
 */

/** The demo payments as an import file: the header row and the cells (db/seed.ts paymentRows). */
interface PaymentsTable {
  headers: string[];
  rows: string[][];
}

interface DemoBatchDates {
  paidOn: string;
  amount: string;
  acceptedOn: string;
  reviewedOn: string;
  approvedOn: string;
}

interface DemoNotice {
  project: string;
  documentNumber: string | null;
  title: string;
  issuer: string;
  amount: string;
  issuedOn: string | null;
  dueOn: string;
  payment: { date: string; amount: string } | null;
  note: string | null;
}

const STEP_HEADERS = ["受理日期", "审核完成日期", "审批日期"] as const;

/** A demo project's identity in the import file: year, unit name and project name. */
function identity(projectKey: string): { year: string; unit: string; name: string } {
  const project = (demoProjects as Array<{ key: string; year: number; unit: string; name: string }>).find((candidate) => candidate.key === projectKey);
  const unit = project && (demoUnits as Array<{ key: string; name: string }>).find((candidate) => candidate.key === project.unit);
  if (!project || !unit) throw new Error(`demo batch dates: unknown project ${projectKey}`);
  return { year: String(project.year), unit: unit.name, name: project.name };
}

/**
 * The demo payments file with the batch step dates as three more columns (受理日期, 审核完成日期, 审批日期), filled
 * for the batches db/demo/batch-dates.json lists (matched by project, day paid and amount, each exactly once).
 */
export function withBatchDates(table: PaymentsTable): PaymentsTable {
  const column = (name: string) => {
    const index = table.headers.indexOf(name);
    if (index < 0) throw new Error(`demo payments: no column ${name}`);
    return index;
  };
  const [year, unit, project, paid, kind, amount] = ["年度", "预算单位", "项目名称", "支付日期", "支付方式", "金额"].map(column) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const rows = table.rows.map((cells) => [...cells, "", "", ""]);
  const width = table.headers.length;
  for (const [projectKey, batches] of Object.entries(demoBatchDates as unknown as Record<string, DemoBatchDates[] | string>)) {
    if (typeof batches === "string") continue; // "_about"
    const { year: projectYear, unit: unitName, name } = identity(projectKey);
    for (const batch of batches) {
      const matching = rows.filter(
        (cells) =>
          cells[year] === projectYear &&
          cells[unit] === unitName &&
          cells[project] === name &&
          cells[paid] === batch.paidOn &&
          cells[amount] === batch.amount &&
          cells[kind] === "batch",
      );
      if (matching.length !== 1) throw new Error(`demo batch dates: ${projectKey} ${batch.paidOn} ${batch.amount} matches ${matching.length} payments`);
      matching[0]!.splice(width, 3, batch.acceptedOn, batch.reviewedOn, batch.approvedOn);
    }
  }
  return { headers: [...table.headers, ...STEP_HEADERS], rows };
}

/** Enters the demo's settlement notices, each with the transfer that settled it (by project, day paid and amount). */
export async function seedNotices(trx: Transaction<Database>, projectIds: ReadonlyMap<string, number>): Promise<number> {
  const notices = (demoNotices as unknown as { notices: DemoNotice[] }).notices;
  for (const notice of notices) {
    const projectId = projectIds.get(notice.project);
    if (projectId === undefined) throw new Error(`demo notice: unknown project ${notice.project}`);
    let paymentId: string | null = null;
    if (notice.payment) {
      const payments = await trx
        .selectFrom("payment")
        .select("id")
        .where("project_id", "=", projectId)
        .where("kind", "=", "transfer")
        .where("paid_on", "=", notice.payment.date)
        .where("amount", "=", notice.payment.amount)
        .execute();
      if (payments.length !== 1)
        throw new Error(`demo notice ${notice.dueOn}: ${payments.length} transfers of ${notice.payment.amount} on ${notice.payment.date}`);
      paymentId = payments[0]!.id;
    }
    const { project: _project, payment: _payment, ...values } = notice;
    await insertNotice(trx, { ...values, projectId, paymentId });
  }
  return notices.length;
}
