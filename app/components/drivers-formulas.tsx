/* 测算因素: the formulas (测算公式) that turn drivers, standards and cost shares into planned lines (read-only). */
import { fill, useT, type Language, type MessageKey } from "../i18n";
import type { FundLevel, PlanFormula } from "../../domain/plan-formulas";
import { levelName } from "../drivers-messages";
import type { Route } from "../routes/+types/drivers";

type Formula = Route.ComponentProps["loaderData"]["formulas"][number];

export const KIND_KEY: Record<PlanFormula["kind"], MessageKey> = {
  fundraising: "kindFundraising",
  clearing: "kindClearing",
  overspend: "kindOverspend",
  quantity: "kindQuantity",
};

/**
 * Readable widths for the tables: on a narrow screen (390 px) they scroll inside their box (.table-scroll)
 * instead of squeezing names and documents to a character a line. 1rem = 14px (app.css).
 */
export const MIN_WIDTH = { drivers: { minWidth: "72rem" }, shares: { minWidth: "72rem" }, formulas: { minWidth: "80rem" } } as const;
/** Columns of names and documents keep a readable width beside the codes. */
export const TEXT_COLUMN = { narrow: { minWidth: "7em" }, wide: { minWidth: "12em" } } as const;

/** "MH-PARTICIPANTS（Y-1）": a driver of a formula with its year offset, linked to its group when the page shows it. */
function DriverRef({ code, offset, shown, language }: { code: string; offset: number; shown: ReadonlySet<string>; language: Language }) {
  const year = offset === 0 ? "Y" : `Y${offset}`;
  return (
    <span className="nowrap">
      {shown.has(code) ? <a href={`#${code}`}>{code}</a> : code}
      {language === "zh" ? `（${year}）` : ` (${year})`}
    </span>
  );
}

/** The formulas of the selected units, with the drivers they read linked to their groups on the page. */
export function FormulasSection({ formulas, shown }: { formulas: readonly Formula[]; shown: ReadonlySet<string> }) {
  const { language, t } = useT();
  const m = (key: MessageKey, params?: Record<string, string | number>) => fill(t(key), params ?? {});
  const level = (l: FundLevel) => levelName(language, l);
  const kind = (k: PlanFormula["kind"]) => {
    const text = t(KIND_KEY[k]);
    return language === "en" ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  };
  const codesShown = shown;
  return (
    <>
      <h2 id="formulas">{m("drvFormulasTitle")}</h2>
      <p className="muted small">{m("drvFormulasHint")}</p>
      {formulas.length === 0 ? (
        <p className="muted">{m("drvNoFormulas")}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="formulas-table" style={MIN_WIDTH.formulas}>
            <thead>
              <tr>
                <th style={TEXT_COLUMN.narrow}>{m("drvUnit")}</th>
                <th>{m("drvProject")}</th>
                <th className="num">{t("seqNo")}</th>
                <th>{t("composition")}</th>
                <th style={TEXT_COLUMN.narrow}>{t("item")}</th>
                <th>{m("drvKind")}</th>
                <th>{t("quantity")}</th>
                <th>{m("drvPrice")}</th>
                <th>{m("drvShare")}</th>
                <th>{m("drvReplaces")}</th>
                <th className="num">{m("drvFrom")}</th>
                <th style={TEXT_COLUMN.narrow}>{m("drvDocument")}</th>
              </tr>
            </thead>
            <tbody>
              {formulas.map((f) => (
                <tr key={f.id} data-testid="formula-row" data-item={f.item}>
                  <td>{f.unitName}</td>
                  <td>{f.projectName}</td>
                  <td className="num">{f.seq}</td>
                  <td>{f.composition}</td>
                  <td data-field="item">{f.item}</td>
                  <td className="nowrap">{kind(f.kind)}</td>
                  <td data-field="quantity">
                    <DriverRef code={f.quantityDriver} offset={f.quantityOffset} shown={codesShown} language={language} />
                    {f.minusOffset !== null && (
                      <>
                        {" − "}
                        <DriverRef code={f.quantityDriver} offset={f.minusOffset} shown={codesShown} language={language} />
                      </>
                    )}
                  </td>
                  <td data-field="price">
                    {f.priceStandard !== null ? (
                      <>
                        <a href={`/standards#${f.priceStandard}`} className="nowrap">
                          {f.priceStandard}
                        </a>
                        {f.priceLess !== null && (
                          <>
                            {" − "}
                            <a href={`/standards#${f.priceLess}`} className="nowrap">
                              {f.priceLess}
                            </a>
                          </>
                        )}
                      </>
                    ) : f.priceDriver !== null ? (
                      <DriverRef code={f.priceDriver} offset={f.priceOffset ?? 0} shown={codesShown} language={language} />
                    ) : (
                      "—"
                    )}
                  </td>
                  <td data-field="share">
                    {f.shareCode !== null && f.shareLevel !== null ? (
                      <>
                        <a href={`#share-${f.shareCode}`} className="nowrap">
                          {f.shareCode}
                        </a>{" "}
                        · {level(f.shareLevel)}
                      </>
                    ) : (
                      m("drvNoShare")
                    )}
                  </td>
                  <td>{f.replacesItem ?? "—"}</td>
                  <td className="num">
                    {f.effectiveFrom}
                    {f.effectiveTo !== null ? `–${f.effectiveTo}` : ""}
                  </td>
                  <td className="small">{f.document}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
