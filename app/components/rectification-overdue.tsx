/* The overdue rectification items (整改台账) as a notice for the dashboard, and the link to an item's source form. */
import { Link } from "react-router";
import { fill, useT } from "../i18n";

/** What an item needs to link to the form it was raised from. */
export interface ItemSource {
  projectId: number;
  source: "self-evaluation" | "tracking";
  sourceRow: number;
  periodEnd: string | null;
  revision: number | null;
}

/** The address of an item's source form: the project's self-evaluation, or its tracking form's period and revision. */
export function sourceHref(item: ItemSource): string {
  if (item.source === "self-evaluation" || item.periodEnd === null) return `/projects/${item.projectId}/self-evaluation`;
  return `/projects/${item.projectId}/tracking?periodEnd=${item.periodEnd}${item.revision === null ? "" : `&revision=${item.revision}`}`;
}

/** The source form of an item as a link: 绩效自评表 第3项 / 运行监控表（截至2024-08-31）第5项. */
export function SourceLink({ item }: { item: ItemSource }) {
  const { t } = useT();
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
}

/**
 * The dashboard's notice of overdue rectification items (open, past their due date): nothing when there
 * are none; else their count, the first `limit` of them (most overdue first) and a link to the full list.
 */
export function RectificationOverdue({ items, limit = 5 }: { items: readonly OverdueItem[]; limit?: number }) {
  const { t } = useT();
  if (items.length === 0) return null;
  return (
    <section className="notice" data-testid="rectification-overdue">
      <p>
        <strong className="warn-text">{fill(t("rcOverdueNotice"), { count: items.length })}</strong>{" "}
        <Link to="/rectification?status=overdue">{t("rcOverdueAll")}</Link>
      </p>
      <table className="data-table">
        <thead>
          <tr>
            <th>{t("rcColProject")}</th>
            <th>{t("rcColUnit")}</th>
            <th>{t("rcColSource")}</th>
            <th>{t("rcColMeasure")}</th>
            <th>{t("rcColDue")}</th>
            <th className="num">{t("rcColDaysOverdue")}</th>
          </tr>
        </thead>
        <tbody>
          {items.slice(0, limit).map((item) => (
            <tr key={item.id} className="row-flagged" data-testid={`overdue-${item.id}`}>
              <td>
                <Link to={`/projects/${item.projectId}`}>
                  {item.fiscalYear} {item.projectName}
                </Link>
              </td>
              <td>{item.unitName}</td>
              <td>
                <SourceLink item={item} />
              </td>
              <td>
                <strong>{item.indicator}</strong>
                <div className="small">{item.measure || t("rcNoMeasure")}</div>
              </td>
              <td className="nowrap">{item.dueOn}</td>
              <td className="num warn-text">{item.daysOverdue}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
