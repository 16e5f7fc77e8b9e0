import { data } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/batch-report";
import { recordBatchReport } from "../../features/payments/service";
import { requireProject } from "../route-params.server";
import type { Message } from "../i18n";

/*
 * POST /projects/:projectId/batch-report: a month's 备案 date (the day its batches were reported to the district
 * centre), from the project page's 社会化发放时效 table. Planners of the project's unit; the service checks the
 * month, the day and that nobody changed it meanwhile.
 */

const text = z.string().max(40).catch("");
const formSchema = z.object({ month: text, reportedOn: text, previous: text });

export type BatchReportResult = { ok: true; month: string } | { ok: false; month: string; error: Message };

export async function action(args: Route.ActionArgs) {
  const { db, user, project } = await requireProject(args, "edit-payment");
  const form = await args.request.formData();
  const input = formSchema.parse(Object.fromEntries(["month", "reportedOn", "previous"].map((name) => [name, form.get(name) ?? ""])));
  const outcome = await recordBatchReport(db, { userId: user.id, username: user.username, roles: user.roles, unitSubtree: user.unitSubtree }, { project, ...input });
  if (outcome.kind === "done") return { ok: true, month: input.month } satisfies BatchReportResult;
  return data<BatchReportResult>({ ok: false, month: input.month, error: outcome.error }, { status: outcome.status });
}
