import { fill, isMessage, render, translate, type Language, type Message, type MessageKey, type PlainKey } from "../../../messages/index.ts";
import { columnLabel } from "./columns.ts";
import type { RowProblem } from "./rows.ts";
import type { ImportReport, RowStatus } from "./report.ts";

/*
 * The import's messages as text in a language: a problem with its place ("第3行 “金额”列：…" /
 * "row 3, column “amount”: …"), a row's notes, whole reports for the CLI's --json. A report stored
 * before messages became codes holds plain text: a string is shown as given.
 */

/** A message, a stored plain text (as given) or several messages (joined as the language joins sentences). */
export type Stored = Message | string | readonly Message[];

/** The text of a message, of a stored plain text (as given), or of several messages: "…；…" / "…; …". */
export function textOf(language: Language, value: Stored | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((message) => render(language, message as Message)).join(language === "zh" ? "；" : "; ");
  return render(language, value as Message);
}

/** Where a problem is: "第3行 “金额(元)”列" / "row 3, column “amount (yuan)”"; "" for the whole file. */
export function placeOf(language: Language, problem: { rowNumber: number; column: string | null }): string {
  const column = problem.column === null ? null : columnLabel(language, problem.column);
  if (problem.rowNumber > 0 && column !== null) return render(language, { code: "impAtRowColumn", params: { row: problem.rowNumber, column } });
  if (problem.rowNumber > 0) return render(language, { code: "impAtRow", params: { row: problem.rowNumber } });
  if (column !== null) return render(language, { code: "impAtColumn", params: { column } });
  return "";
}

/** A problem with its place (after a label, as the CLI's "错误"): "第3行 “支付日期”列：日期不存在：2024-02-30"; without a place only the reason. */
export function problemText(language: Language, problem: { rowNumber: number; column: string | null; message: Stored }, label?: string): string {
  const place = [label ?? "", placeOf(language, problem)].filter(Boolean).join(" ");
  const text = textOf(language, problem.message);
  return place ? render(language, { code: "impPlaced", params: { place, text } }) : text;
}

/** Every message in a value (a report, a list of problems) replaced by its text: for the CLI's --json and the tests. */
export function rendered<T>(language: Language, value: T): Rendered<T> {
  if (isMessage(value)) return render(language, value) as Rendered<T>;
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isMessage)) return textOf(language, value as Message[]) as Rendered<T>;
    return value.map((item) => rendered(language, item)) as Rendered<T>;
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rendered(language, item)])) as Rendered<T>;
  }
  return value as Rendered<T>;
}

/** A value's type with its messages as text. */
export type Rendered<T> = T extends Message
  ? string
  : T extends readonly Message[]
    ? string
    : T extends ReadonlyArray<infer U>
      ? Array<Rendered<U>>
      : T extends object
        ? { [K in keyof T]: Rendered<T[K]> }
        : T;

/** A grid row's notes as text: each led by its column when it has one ("支付日期：日期不存在：…"), joined "；" / "; ". */
export function notesText(language: Language, notes: ReadonlyArray<{ column: string | null; message: Stored }>): string {
  return notes
    .map((note) => (note.column ? render(language, { code: "impPlaced", params: { place: columnLabel(language, note.column), text: textOf(language, note.message) } }) : textOf(language, note.message)))
    .join(language === "zh" ? "；" : "; ");
}

/** A row status in a language: "新增" / "new". */
export function statusText(language: Language, status: RowStatus): string {
  return translate(language, STATUS_KEYS[status]);
}

const STATUS_KEYS = {
  new: "impStatusNew",
  updated: "impStatusUpdated",
  unchanged: "impStatusUnchanged",
  duplicate: "impStatusDuplicate",
  error: "impStatusError",
  total: "impStatusTotal",
} as const satisfies Record<RowStatus, PlainKey>;

/**
 * A report as text in a language, in the shape reports had before messages became codes: each
 * problem's message and each row's notes (as `message`) a string. For the CLI's --json and the tests.
 */
export function reportText(language: Language, report: ImportReport) {
  const problem = (p: RowProblem) => ({ rowNumber: p.rowNumber, column: p.column, message: render(language, p.message) });
  return {
    ...report,
    errors: report.errors.map(problem),
    warnings: report.warnings.map(problem),
    rows: report.rows.map(({ notes, ...rest }) => ({ ...rest, message: notesText(language, notes) })),
  };
}

/**
 * A value stored in the audit trail as the history shows it, with only a translator of keys: a message
 * (or a list of messages, as an acknowledgement's note) from its catalogue text, parameters filled in as
 * stored; anything else (plain text written before messages were codes) as given.
 */
export function storedText(t: (key: MessageKey) => string, value: unknown): string {
  if (isMessage(value)) {
    const params = Object.entries((value.params ?? {}) as Record<string, unknown>).map(([name, param]) => [name, typeof param === "object" ? storedText(t, param) : (param as string | number)]);
    return fill(t(value.code), Object.fromEntries(params));
  }
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isMessage)) return value.map((item) => storedText(t, item)).reduceRight((rest, first) => fill(t("impSentences"), { first, rest }));
    return value.join(",");
  }
  return String(value);
}
