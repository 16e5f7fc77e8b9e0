import type { GradeBands } from "../../domain/execution";
import { JUDGEMENT_BANDS, JUDGEMENTS, judgementMessage } from "../../domain/targets";
import { FUNDS_WEIGHT, gradeMessage } from "../../features/self-evaluation/rules";
import { msg, useT } from "../i18n";

/*
 * The scoring rules and grade bands under the self-evaluation sheet (form and print), from the values the
 * rules use (FUNDS_WEIGHT, JUDGEMENT_BANDS, the bands in force), so that every score on the sheet can be
 * checked by hand: 项目资金 10 × 执行率; quantitative indicators full marks when met, else in proportion;
 * qualitative ones within their judgement's band; 优 ≥ 90, 良 80–90, 合格 60–80, 不合格 below.
 */
/** A percentage or point figure as people write it: "80.00" → "80", "92.50" → "92.5". */
const plain = (figure: string) => figure.replace(/\.?0+$/, (tail) => (figure.includes(".") ? "" : tail));

export function ScoringRules({ bands }: { bands: Readonly<GradeBands> }) {
  const { t, m } = useT();
  return (
    <div className="se-rules small" data-testid="scoring-rules">
      <strong>{t("seRulesHeading")}</strong>
      <ol>
        <li>{m(msg("seRulesFunds", { weight: plain(FUNDS_WEIGHT) }))}</li>
        <li>{t("seRulesQuantitative")}</li>
        <li>
          {m(
            msg("seRulesQualitative", {
              bands: JUDGEMENTS.map((judgement) => msg("seRulesJudgementBand", { judgement: judgementMessage(judgement), from: plain(JUDGEMENT_BANDS[judgement].from), to: plain(JUDGEMENT_BANDS[judgement].to) })),
            }),
          )}
        </li>
        <li>{t("seRulesDeparture")}</li>
        <li>
          {m(
            msg("seRulesGrades", {
              excellent: gradeMessage("优"),
              good: gradeMessage("良"),
              pass: gradeMessage("合格"),
              fail: gradeMessage("不合格"),
              top: plain(bands.优),
              middle: plain(bands.良),
              low: plain(bands.合格),
            }),
          )}
        </li>
      </ol>
    </div>
  );
}
