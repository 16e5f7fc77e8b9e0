/* The overdue rectification items (整改台账) as a notice for the dashboard, and the link to an item's source form. */
import { Link } from "react-router";
import { fill, msg, useT, type Message, type PlainKey } from "../i18n";
import type { RectificationSource } from "../../features/rectification/rules";

/** What an item needs to link to the form it was raised from (or to name its origin, entered by hand). */
export interface ItemSource {
  projectId: number;
  source: RectificationSource;
  sourceRow: number;
  periodEnd: string | null;
  revision: number | null;
  /** A hand-entered item's origin (an audit report, …); null for an item raised from a form. */
  origin: string | null;
}

/** The name of each source, as the filter lists them. */
export const SOURCE_KEYS: Record<RectificationSource, PlainKey> = {
  "self-evaluation": "rcSourceSelfEvaluation",
  tracking: "rcSourceTracking",
  manual: "rcSourceManual",
};

/** Where an item comes from in a few words: 绩效自评表, 运行监控表, or a hand-entered item's origin. */
export function sourceName(item: Pick<ItemSource, "source" | "origin">): Message {
  return item.source === "manual" ? msg("rcSourceManualOf", { origin: item.origin ?? "" }) : msg(SOURCE_KEYS[item.source]);
}

/** The address of an item's source form: the project's self-evaluation, or its tracking form's period and revision. */
export function sourceHref(item: ItemSource): string {
  if (item.source === "self-evaluation" || item.periodEnd === null) return `/projects/${item.projectId}/self-evaluation`;
  return `/projects/${item.projectId}/tracking?periodEnd=${item.periodEnd}${item.revision === null ? "" : `&revision=${item.revision}`}`;
}

/**
 * The source form of an item as a link: 绩效自评表 第3项 / 运行监控表（截至2024-08-31）第5项; a hand-entered
 * item's origin as text (其他来源：区审计局2024年度审计报告第三条), there being no form to link to.
 */
export function SourceLink({ item }: { item: ItemSource }) {
  const { t, m } = useT();
  if (item.source === "manual") return <span data-testid="rc-source-origin">{m(sourceName(item))}</span>;
  const label =
    item.source === "tracking"
      ? fill(t("rcSourceTrackingRow"), { periodEnd: item.periodEnd ?? "", row: item.sourceRow })
      : fill(t("rcSourceSelfEvaluationRow"), { row: item.sourceRow });
  return (
    <Link to={sourceHref(item)} data-testid="rc-source-link">
      {label}
    </Link>
  );
}

/** An overdue item as overdueRectification (features/rectification/service.ts) returns it. */
export interface OverdueItem extends ItemSource {
  id: number;
  projectName: string;
  fiscalYear: number;
  unitName: string;
  indicator: string;
  measure: string;
  dueOn: string;
  daysOverdue: number;
  /** The day it was judged overdue on (today): the notice says so, the dashboard's as-of date being another. */
  asOf?: string;
}

/**
 * The dashboard's notice of overdue rectification items (open, past their due date, as of today): nothing
 * when there are none; else their count, the first `limit` of them (most overdue first) and a link to the
 * full list. Project, unit and source share a cell, so that the table keeps readable on a phone.
 */
export function RectificationOverdue({ items, limit = 5 }: { items: readonly OverdueItem[]; limit?: number }) {
  const { t, m } = useT();
  if (items.length === 0) return null;
  const asOf = items[0]?.asOf;
  const shown = items.slice(0, limit);
  return (
    <section className="notice" data-testid="rectification-overdue">
      <p>
        <strong className="warn-text">{fill(t("rcOverdueNotice"), { count: items.length })}</strong>
        {asOf && <span className="muted small"> {m(msg("rcOverdueAsOf", { date: asOf }))}</span>}
        {shown.length < items.length && <span className="muted small"> · {m(msg("rcOverdueShown", { shown: shown.length }))}</span>}{" "}
        <Link to="/rectification?status=overdue">{t("rcOverdueAll")}</Link>
      </p>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th>
                {t("rcColProject")} · {t("rcColSource")}
              </th>
              <th>{t("rcColMeasure")}</th>
              <th>{t("rcColDue")}</th>
              <th className="num">{t("rcColDaysOverdue")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((item) => (
              <tr key={item.id} className="row-flagged" data-testid={`overdue-${item.id}`}>
                <td style={{ minWidth: "10em" }}>
                  <Link to={`/projects/${item.projectId}`}>
                    {item.fiscalYear} {item.projectName}
                  </Link>
                  <div className="small muted">{item.unitName}</div>
                  <div className="small">
                    <SourceLink item={item} />
                  </div>
                </td>
                <td style={{ minWidth: "14em" }}>
                  <strong>{item.indicator}</strong>
                  <div className="small">{item.measure || t("rcNoMeasure")}</div>
                </td>
                <td className="nowrap">{item.dueOn}</td>
                <td className="num warn-text">{item.daysOverdue}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
