import { Form, data } from "react-router";
import type { Route } from "./+types/admin";
import { database } from "../db.server";
import { listUsers } from "../../db/users";
import { getFlagThreshold, setFlagThreshold } from "../../db/settings";
import { withActor } from "../../db/audit";
import { addDeviationCause, listDeviationCauses, updateDeviationCause } from "../../db/tracking-forms";
import { DEVIATION_CATEGORIES, textProblem, validateDeviationCauses, type DeviationCategory } from "../../domain/tracking";
import { ROLE_LABELS } from "../../domain/permissions";
import { guard } from "../guard.server";
import { useT } from "../i18n";

export function meta() {
  return [{ title: "系统管理 · 预算执行监控" }];
}

/** The flag threshold applies city-wide: only an administrator of a top-level unit may change it. */
async function isTopLevelAdmin(unitId: number): Promise<boolean> {
  const unit = await (await database()).selectFrom("org_unit").select("parent_id").where("id", "=", unitId).executeTakeFirst();
  return unit !== undefined && unit.parent_id === null;
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const admin = guard(context, request, "administer", null);
  const db = await database();
  const [users, threshold, causes] = await Promise.all([listUsers(db), getFlagThreshold(db), listDeviationCauses(db, { includeInactive: true })]);
  // An administrator sees the users of their own unit and the units below it.
  const visible = users.filter((user) => admin.unitSubtree.includes(user.unitId));
  return {
    users: visible.map((user) => ({ ...user, roles: user.roles.map((role) => ROLE_LABELS[role]) })),
    threshold,
    causes,
    canSetThreshold: await isTopLevelAdmin(admin.unitId),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = guard(context, request, "administer", null);
  if (!(await isTopLevelAdmin(user.unitId))) throw data("只有市级系统管理员可修改全市预警线 Only a top-level administrator may change the threshold", { status: 403 });
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "add-cause" || intent === "update-cause") return causeAction(form, intent, { userId: user.id, username: user.username });
  const threshold = String(form.get("threshold") ?? "").trim();
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(threshold) || Number(threshold) > 100) {
    return data({ error: "预警线应为 0–100 之间、最多两位小数的百分数", saved: false }, { status: 400 });
  }
  const value = Number(threshold).toFixed(2);
  await withActor(await database(), { userId: user.id, username: user.username }, (trx) => setFlagThreshold(trx, value));
  return { error: null, saved: true };
}

/** 偏差原因目录 (运行监控): adds a cause or changes one's name, category and whether it may be chosen; the catalogue must stay valid. */
async function causeAction(form: FormData, intent: "add-cause" | "update-cause", actor: { userId: number; username: string }) {
  const db = await database();
  const existing = await listDeviationCauses(db, { includeInactive: true });
  const category = String(form.get("category") ?? "") as DeviationCategory;
  const label = String(form.get("label") ?? "").trim();
  const labelProblem = textProblem(label, "偏差原因名称");
  if (labelProblem !== null) return data({ error: null, saved: false, causeError: labelProblem }, { status: 400 });
  if (intent === "add-cause") {
    const code = String(form.get("code") ?? "").trim();
    const problems = validateDeviationCauses([...existing, { code, category, label }]);
    if (problems.length > 0) return data({ error: null, saved: false, causeError: problems.join("；") }, { status: 400 });
    // Another administrator may have added the same code meanwhile.
    const added = await withActor(db, actor, (trx) => addDeviationCause(trx, { code, category, label }));
    if (!added) return data({ error: null, saved: false, causeError: `偏差原因代码“${code}”已被他人添加，请刷新页面` }, { status: 409 });
    return { error: null, saved: false, causeError: null };
  }
  const id = Number(form.get("id"));
  const cause = existing.find((candidate) => candidate.id === id);
  if (!cause) return data({ error: null, saved: false, causeError: "未找到该偏差原因" }, { status: 404 });
  const changed = existing.map((candidate) => (candidate.id === id ? { ...candidate, category, label } : candidate));
  const problems = validateDeviationCauses(changed);
  if (problems.length > 0) return data({ error: null, saved: false, causeError: problems.join("；") }, { status: 400 });
  await withActor(db, actor, (trx) => updateDeviationCause(trx, id, { category, label, active: form.get("active") === "yes" }));
  return { error: null, saved: false, causeError: null };
}

export default function Admin({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  return (
    <>
      <h1>{t("administration")}</h1>
      <h2>{t("threshold")}</h2>
      <Form method="post" className="filters">
        <label>
          {t("threshold")} (%)
          <input name="threshold" defaultValue={loaderData.threshold} inputMode="decimal" required disabled={!loaderData.canSetThreshold} />
        </label>
        <button type="submit" disabled={!loaderData.canSetThreshold}>
          {t("save")}
        </button>
        {actionData?.error && <span className="form-error" role="alert">{actionData.error}</span>}
        {actionData?.saved && <span className="form-ok" role="status">{t("saved")}</span>}
      </Form>
      <DeviationCauses causes={loaderData.causes} editable={loaderData.canSetThreshold} error={actionData && "causeError" in actionData ? (actionData.causeError ?? null) : null} />
      <h2>{t("users")}</h2>
      <p className="muted small">{t("usersCliHint")}</p>
      <table className="data-table" data-testid="users-table">
        <thead>
          <tr>
            <th>{t("username")}</th>
            <th>{t("displayName")}</th>
            <th>{t("unit")}</th>
            <th>{t("roles")}</th>
            <th>{t("status")}</th>
          </tr>
        </thead>
        <tbody>
          {loaderData.users.map((user) => (
            <tr key={user.id}>
              <td>{user.username}</td>
              <td>{user.displayName}</td>
              <td>{user.unitName}</td>
              <td>{user.roles.join("、")}</td>
              <td>
                {!user.active ? t("inactive") : user.lockedUntil ? `${t("lockedUntil")} ${user.lockedUntil}` : t("active")}
                {user.passwordIsDemo && <span className="badge-warn">{t("demoPassword")}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** 偏差原因目录 of the tracking form: the national categories refined by domain causes; codes are fixed once forms use them. */
function DeviationCauses({
  causes,
  editable,
  error,
}: {
  causes: Array<{ id: number; code: string; category: string; label: string; active: boolean }>;
  editable: boolean;
  error: string | null;
}) {
  const { t } = useT();
  const categorySelect = (value?: string) => (
    <select name="category" defaultValue={value ?? "其他"} disabled={!editable}>
      {DEVIATION_CATEGORIES.map((category) => (
        <option key={category} value={category}>
          {category}
        </option>
      ))}
    </select>
  );
  return (
    <>
      <h2>{t("trCauses")}</h2>
      {error && (
        <p className="form-error" role="alert" data-testid="cause-error">
          {error}
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
