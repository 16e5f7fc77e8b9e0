import { msg, type Message, type MessageKey } from "../../../messages/index.ts";

/*
 * The deviation causes (偏差原因) of the tracking form: the national categories and the catalogue
 * that refines them. Categories are stored as the national form names them (deviation_cause.category);
 * the interface shows them through the catalogue (CATEGORY_MESSAGE_KEYS). A cause's label is the
 * administrator's data and is shown as stored.
 */

/** The national categories of deviation causes (偏差原因) of the monitoring form, as stored. */
export const DEVIATION_CATEGORIES = ["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"] as const;
export type DeviationCategory = (typeof DEVIATION_CATEGORIES)[number];

/** The catalogue keys naming the categories: 经费保障 / Funding … */
export const CATEGORY_MESSAGE_KEYS = {
  经费保障: "trCategoryFunding",
  制度保障: "trCategoryInstitution",
  人员保障: "trCategoryStaffing",
  硬件条件保障: "trCategoryFacilities",
  其他: "trCategoryOther",
} as const satisfies Record<DeviationCategory, MessageKey>;

/** True for one of the national categories. */
export function isDeviationCategory(value: string): value is DeviationCategory {
  return (DEVIATION_CATEGORIES as readonly string[]).includes(value);
}

/** A stored category as a message: 经费保障 / Funding; one outside the national list as written. */
export function categoryMessage(category: string): Message {
  return isDeviationCategory(category) ? msg(CATEGORY_MESSAGE_KEYS[category]) : msg("asWritten", { text: category });
}

/** The catalogue keys naming the default causes (DEFAULT_DEVIATION_CAUSES), by code. */
const DEFAULT_CAUSE_MESSAGE_KEYS = {
  "funding": "trCause_funding",
  "funds-arrived-late": "trCause_fundsArrivedLate",
  "settlement-lag": "trCause_settlementLag",
  "institution": "trCause_institution",
  "policy-change": "trCause_policyChange",
  "staffing": "trCause_staffing",
  "facilities": "trCause_facilities",
  "procurement-delay": "trCause_procurementDelay",
  "fewer-beneficiaries": "trCause_fewerBeneficiaries",
  "demand-unpredictable": "trCause_demandUnpredictable",
  "other": "trCause_other",
} as const satisfies Record<string, MessageKey>;

/**
 * A cause's label as a message: a default cause the administrator has not renamed is named by the catalogue (so the
 * English interface says "Settlement lag"); any other label is the administrator's data, shown as stored.
 * causeMessage({ code: "settlement-lag", label: "结算滞后" }) → msg("trCause_settlementLag").
 */
export function causeMessage(cause: { code: string | null; label: string }): Message {
  const shipped = DEFAULT_DEVIATION_CAUSES.find((candidate) => candidate.code === cause.code);
  return shipped && shipped.label === cause.label ? msg(DEFAULT_CAUSE_MESSAGE_KEYS[shipped.code as keyof typeof DEFAULT_CAUSE_MESSAGE_KEYS]) : msg("asWritten", { text: cause.label });
}

/** A deviation cause: a stable code, its national category and the label the form shows. */
export interface DeviationCause {
  code: string;
  category: DeviationCategory;
  label: string;
}

/**
 * The default catalogue: one general entry per national category plus the domain's refinements.
 * Admins may replace it (validateDeviationCauses checks a replacement).
 */
export const DEFAULT_DEVIATION_CAUSES: readonly DeviationCause[] = [
  { code: "funding", category: "经费保障", label: "经费保障不足" },
  { code: "funds-arrived-late", category: "经费保障", label: "资金下达滞后" },
  { code: "settlement-lag", category: "经费保障", label: "结算滞后" },
  { code: "institution", category: "制度保障", label: "制度保障不足" },
  { code: "policy-change", category: "制度保障", label: "政策调整" },
  { code: "staffing", category: "人员保障", label: "人员保障不足" },
  { code: "facilities", category: "硬件条件保障", label: "硬件条件保障不足" },
  { code: "procurement-delay", category: "硬件条件保障", label: "采购延迟" },
  { code: "fewer-beneficiaries", category: "其他", label: "受益对象少于预期" },
  { code: "demand-unpredictable", category: "其他", label: "申请人数及金额无法预估" },
  { code: "other", category: "其他", label: "其他" },
];

/**
 * The problems of a deviation-cause catalogue; empty when it is usable:
 * validateDeviationCauses([{ code: "x", category: "其他", label: "" }]) → [偏差原因“x”：缺少名称].
 */
export function validateDeviationCauses(causes: readonly DeviationCause[]): Message[] {
  const problems: Message[] = [];
  const seen = new Set<string>();
  if (causes.length === 0) problems.push(msg("trCatalogueEmpty"));
  causes.forEach((cause, index) => {
    const code = cause.code.trim();
    if (!/^[a-z0-9][a-z0-9-]*$/.test(code)) problems.push(msg("trCauseCodeFormat", { index: index + 1, code: cause.code }));
    if (seen.has(code)) problems.push(msg("trCauseCodeDuplicate", { code }));
    seen.add(code);
    if (!isDeviationCategory(cause.category)) {
      problems.push(msg("trCauseCategoryUnknown", { code, category: cause.category }));
    }
    if (cause.label.trim() === "") problems.push(msg("trCauseLabelMissing", { code }));
  });
  return problems;
}
