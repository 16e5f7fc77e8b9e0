import { createHash } from "node:crypto";
import { formatAmount } from "../../../domain/money.ts";
import { msg, render, type Message } from "../../../messages/index.ts";
import type { PlanLine } from "./zero-based-plan.ts";

/* Adopting a plan as the target year's initial budget (年初预算), pure: what it would meet, what it stamps and what it stores. */

/** A project of the target year that exists already, with what hangs on it (a replacement would delete it). */
export interface ExistingProject {
  projectId: number;
  projectName: string;
  unitName: string;
  initial: string;
  payments: number;
  adjustments: number;
  /** 绩效目标 indicators, the 绩效目标申报表 and 运行监控 tracking forms of the project. */
  indicators: number;
  declarations: number;
  trackingForms: number;
  /** Planners' overrides of the year after that rest on the project's lines. */
  overrides: number;
}

/** What hangs on an existing project, as messages: inUse(p) → [支付 3 笔, 绩效指标 5 项] (empty: nothing). */
export function inUse(project: ExistingProject): Message[] {
  const parts: Array<[number, Message]> = [
    [project.payments, msg("planUsePayments", { count: project.payments })],
    [project.adjustments, msg("planUseAdjustments", { count: project.adjustments })],
    [project.indicators, msg("planUseIndicators", { count: project.indicators })],
    [project.declarations, msg("planUseDeclarations", { count: project.declarations })],
    [project.trackingForms, msg("planUseTrackingForms", { count: project.trackingForms })],
    [project.overrides, msg("planUseOverrides", { count: project.overrides })],
  ];
  return parts.filter(([n]) => n > 0).map(([, message]) => message);
}

/**
 * A line's 依据 as the ledger keeps it: its documents, else the plan's own basis in Chinese (the adopted
 * line's data): documentedBasis(line) → "沪医保规〔2023〕2号", or "按2024年执行数测算" for a line derived from execution.
 */
export function documentedBasis(line: Pick<PlanLine, "basis" | "basisNote">): string {
  return line.basis || (line.basisNote ? render("zh", line.basisNote) : "");
}

/**
 * A stamp of the plan as shown: each line's source, quantity, unit price, amount, standard, basis and months.
 * The page posts it with an adoption; the server recomputes the plan and refuses when the stamp differs (the
 * ledger, the standards or an override changed meanwhile). planStamp(plan.lines) → 64 hex digits
 */
export function planStamp(lines: readonly PlanLine[]): string {
  const text = lines.map((l) => [l.key, l.quantity, l.unitPrice, l.amount, l.standard?.id ?? "", documentedBasis(l), l.fundLevel, l.fundType, l.months.join(",")].join("|"));
  return createHash("sha256").update(text.join("\n")).digest("hex");
}

/** The 依据 an adopted line keeps: the documents it rests on, and the planner's written basis where one was needed. */
export function adoptedBasis(line: PlanLine, written: string | undefined): string | null {
  const refund = line.attention.find((a) => a.code === "negativeClearing");
  const parts = [
    documentedBasis(line),
    refund && refund.code === "negativeClearing" ? `清算为负：应退回 ${formatAmount(refund.refund)} 元，不列支出` : "",
    written?.trim() ? `编制说明：${written.trim()}` : "",
  ].filter(Boolean);
  return parts.length > 0 ? parts.join("；") : null;
}
