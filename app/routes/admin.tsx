import { Form, data } from "react-router";
import { Link } from "react-router";
import type { Route } from "./+types/admin";
import { database } from "../db.server";
import { addCause, adminPage, changeFilingDeadlines, changeFlagThreshold, changeGradeBands, isTopLevelAdmin, updateCause, type AdminActor, type AdminOutcome } from "../../features/admin/service";
import { categoryMessage, DEVIATION_CATEGORIES } from "../../features/tracking/rules/index";
import { changeTimeRules, TIME_RULE_FIELDS, type TimeRuleField } from "../../features/payments/service";
import { TimeRulesForm } from "../components/time-rules-form";
import { SaveFeedback } from "../components/save-feedback";
import { guard, refusal } from "../guard.server";
import { msg, useT, type Message } from "../i18n";
import { pageTitle } from "../route-title";

export function meta({ matches }: Route.MetaArgs) {
  return [{ title: pageTitle(matches, "administration") }];
}

function actorOf(user: { id: number; username: string; unitId: number; unitSubtree: number[] }): AdminActor {
  return { userId: user.id, username: user.username, unitId: user.unitId, unitSubtree: user.unitSubtree };
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const admin = guard(context, request, "administer", null);
  return adminPage(await database(), actorOf(admin));
}

type ActionResult = {
  error: Message | null;
  saved: boolean;
  causeErrors: Message[] | null;
  bandErrors?: Message[];
  bandsSaved?: boolean;
  deadlineErrors?: Message[];
  deadlinesSaved?: boolean;
  ruleErrors?: Partial<Record<TimeRuleField, Message>>;
  rulesSaved?: boolean;
};

export async function action({ request, context }: Route.ActionArgs) {
  const user = guard(context, request, "administer", null);
  const db = await database();
  if (!(await isTopLevelAdmin(db, user.unitId))) throw refusal(request, "admThresholdTopOnly", 403);
  const form = await request.formData();
  const field = (name: string) => String(form.get(name) ?? "");
  const intent = field("intent");
  const actor = actorOf(user);
  const answer = (outcome: AdminOutcome, on: "threshold" | "cause" | "bands" | "deadlines") => {
    if (outcome.kind === "done") return data<ActionResult>({ error: null, saved: on === "threshold", causeErrors: null, bandsSaved: on === "bands", deadlinesSaved: on === "deadlines" });
    const problems = outcome.problems;
    const refused: ActionResult =
      on === "deadlines"
        ? { error: null, saved: false, causeErrors: null, deadlineErrors: problems }
        : on === "threshold"
        ? { error: problems[0] ?? null, saved: false, causeErrors: null }
        : on === "cause"
          ? { error: null, saved: false, causeErrors: problems }
          : { error: null, saved: false, causeErrors: null, bandErrors: problems };
    return data<ActionResult>(refused, { status: outcome.status });
  };
  if (intent === "add-cause") return answer(await addCause(db, actor, { code: field("code"), category: field("category"), label: field("label") }), "cause");
  if (intent === "grade-bands") return answer(await changeGradeBands(db, actor, { 优: field("bandExcellent"), 良: field("bandGood"), 合格: field("bandPass") }), "bands");
  if (intent === "filing-deadlines") {
    return answer(await changeFilingDeadlines(db, actor, { tracking: field("trackingDeadline"), selfEvaluation: field("selfEvaluationDeadline") }), "deadlines");
  }
  if (intent === "time-rules") {
    const texts = Object.fromEntries(TIME_RULE_FIELDS.map((name) => [name, field(name)])) as Record<TimeRuleField, string>;
    const outcome = await changeTimeRules(db, { ...actor, roles: user.roles }, texts);
    if (outcome.kind === "done") return data<ActionResult>({ error: null, saved: false, causeErrors: null, rulesSaved: true });
    return data<ActionResult>({ error: null, saved: false, causeErrors: null, ruleErrors: outcome.errors }, { status: outcome.status });
  }
  if (intent === "update-cause") {
    return answer(await updateCause(db, actor, { id: Number(field("id")), category: field("category"), label: field("label"), active: field("active") === "yes" }), "cause");
  }
  return answer(await changeFlagThreshold(db, actor, field("threshold")), "threshold");
}

export default function Admin({ loaderData, actionData }: Route.ComponentProps) {
  const { t, m } = useT();
  return (
    <>
      <h1>{t("administration")}</h1>
      <p><Link to="/calendar" data-testid="calendar-link">{t("wdAdminLink")}</Link></p>
      <h2>{t("threshold")}</h2>
      <Form method="post" className="filters">
        <label>
          {t("threshold")} (%)
          <input name="threshold" defaultValue={loaderData.threshold} inputMode="decimal" required disabled={!loaderData.canSetThreshold} />
        </label>
        <button type="submit" disabled={!loaderData.canSetThreshold}>
          {t("save")}
        </button>
        {actionData?.error && <span className="form-error" role="alert">{m(actionData.error)}</span>}
        {actionData?.saved && <span className="form-ok" role="status">{t("saved")}</span>}
      </Form>
      <GradeBands bands={loaderData.gradeBands} editable={loaderData.canSetThreshold} errors={actionData?.bandErrors ?? null} saved={actionData?.bandsSaved === true} />
      <FilingDeadlines
        deadlines={loaderData.filingDeadlines}
        editable={loaderData.canSetThreshold}
        errors={actionData?.deadlineErrors ?? null}
        saved={actionData?.deadlinesSaved === true}
      />
      <TimeRulesForm
        current={loaderData.timeRules}
        editable={loaderData.canSetThreshold}
        errors={actionData?.ruleErrors ?? null}
        saved={actionData?.rulesSaved === true}
      />
      <DeviationCauses causes={loaderData.causes} editable={loaderData.canSetThreshold} errors={actionData?.causeErrors ?? null} />
      <h2>{t("users")}</h2>
      <p>
        <Link to="/admin/users" data-testid="users-link">
          {t("usAdminLink")}
        </Link>
      </p>
      <p className="muted small">{t("usCliHint")}</p>
    </>
  );
}

/** 评分等级 of the self-evaluation: each grade's lowest total (优 / 良 / 合格; below 合格 is 不合格). */
function GradeBands({ bands, editable, errors, saved }: { bands: { 优: string; 良: string; 合格: string }; editable: boolean; errors: Message[] | null; saved: boolean }) {
  const { t, m } = useT();
  const fields = [
    { name: "bandExcellent", grade: "seGradeExcellent", value: bands.优 },
    { name: "bandGood", grade: "seGradeGood", value: bands.良 },
    { name: "bandPass", grade: "seGradePass", value: bands.合格 },
  ] as const;
  return (
    <>
      <h2>{t("slBands")}</h2>
      <p className="muted small">{t("slBandsHint")}</p>
      <Form method="post" className="filters" data-testid="grade-bands">
        <input type="hidden" name="intent" value="grade-bands" />
        {fields.map((field) => (
          // Keyed by the stored value: after a save the field shows it as stored (85 → 85.00); after a refusal it keeps what was typed.
          <label key={`${field.name}-${field.value}`}>
            {m(msg("slBandFrom", { grade: msg(field.grade) }))}
            <input name={field.name} defaultValue={field.value} inputMode="decimal" required disabled={!editable} />
          </label>
        ))}
        <SaveFeedback editable={editable} errors={errors} saved={saved} />
      </Form>
    </>
  );
}

/** 填报截止日 of the to-do list: the tracking form's (month-day of the project's year) and the self-evaluation's (of the next year). */
function FilingDeadlines({
  deadlines,
  editable,
  errors,
  saved,
}: {
  deadlines: { tracking: string; selfEvaluation: string };
  editable: boolean;
  errors: Message[] | null;
  saved: boolean;
}) {
  const { t, m } = useT();
  return (
    <>
      <h2>{t("tdDeadlines")}</h2>
      <p className="muted small">{t("tdDeadlinesHint")}</p>
      <Form method="post" className="filters" data-testid="filing-deadlines">
        <input type="hidden" name="intent" value="filing-deadlines" />
        <label key={`tracking-${deadlines.tracking}`}>
          {t("tdDeadlineTracking")}
          <input name="trackingDeadline" defaultValue={deadlines.tracking} placeholder="09-15" required disabled={!editable} />
        </label>
        <label key={`self-evaluation-${deadlines.selfEvaluation}`}>
          {t("tdDeadlineSelfEvaluation")}
          <input name="selfEvaluationDeadline" defaultValue={deadlines.selfEvaluation} placeholder="03-31" required disabled={!editable} />
        </label>
        <SaveFeedback editable={editable} errors={errors} saved={saved} />
      </Form>
    </>
  );
}

/** 偏差原因目录 of the tracking form: the national categories refined by domain causes; codes are fixed once forms use them. */
function DeviationCauses({
  causes,
  editable,
  errors,
}: {
  causes: Array<{ id: number; code: string; category: string; label: string; active: boolean }>;
  editable: boolean;
  errors: Message[] | null;
}) {
  const { t, m } = useT();
  const categorySelect = (value?: string) => (
    <select name="category" defaultValue={value ?? "其他"} disabled={!editable}>
      {DEVIATION_CATEGORIES.map((category) => (
        <option key={category} value={category}>
          {m(categoryMessage(category))}
        </option>
      ))}
    </select>
  );
  return (
    <>
      <h2>{t("trCauses")}</h2>
      {errors && errors.length > 0 && (
        <p className="form-error" role="alert" data-testid="cause-error">
          {errors.map(m).join(t("problemSeparator"))}
        </p>
      )}
      <table className="data-table" data-testid="causes-table">
        <thead>
          <tr>
            <th>{t("trCauseCode")}</th>
            <th colSpan={4}>
              {t("trCategory")} · {t("trCauseLabel")} · {t("trActive")}
            </th>
          </tr>
        </thead>
        <tbody>
          {causes.map((cause) => (
            <tr key={cause.id}>
              <td>{cause.code}</td>
              <td colSpan={4}>
                <Form method="post" className="inline-row">
                  <input type="hidden" name="intent" value="update-cause" />
                  <input type="hidden" name="id" value={cause.id} />
                  {categorySelect(cause.category)}
                  <input name="label" defaultValue={cause.label} disabled={!editable} required />
                  <select name="active" defaultValue={cause.active ? "yes" : "no"} disabled={!editable}>
                    <option value="yes">{t("yes")}</option>
                    <option value="no">{t("no")}</option>
                  </select>
                  {editable && <button type="submit">{t("save")}</button>}
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editable && (
        <Form method="post" className="filters" data-testid="add-cause">
          <input type="hidden" name="intent" value="add-cause" />
          <label>
            {t("trCauseCode")}
            <input name="code" placeholder="settlement-delay" required />
          </label>
          <label>
            {t("trCategory")}
            {categorySelect()}
          </label>
          <label>
            {t("trCauseLabel")}
            <input name="label" required />
          </label>
          <button type="submit">{t("trAddCause")}</button>
        </Form>
      )}
    </>
  );
}
