import { Form, data } from "react-router";
import type { Route } from "./+types/admin";
import { database } from "../db.server";
import { listUsers } from "../../db/users";
import { getFlagThreshold, setFlagThreshold } from "../../db/settings";
import { withActor } from "../../db/audit";
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
  const [users, threshold] = await Promise.all([listUsers(db), getFlagThreshold(db)]);
  // An administrator sees the users of their own unit and the units below it.
  const visible = users.filter((user) => admin.unitSubtree.includes(user.unitId));
  return {
    users: visible.map((user) => ({ ...user, roles: user.roles.map((role) => ROLE_LABELS[role]) })),
    threshold,
    canSetThreshold: await isTopLevelAdmin(admin.unitId),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = guard(context, request, "administer", null);
  if (!(await isTopLevelAdmin(user.unitId))) throw data("只有市级系统管理员可修改全市预警线 Only a top-level administrator may change the threshold", { status: 403 });
  const form = await request.formData();
  const threshold = String(form.get("threshold") ?? "").trim();
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(threshold) || Number(threshold) > 100) {
    return data({ error: "预警线应为 0–100 之间、最多两位小数的百分数", saved: false }, { status: 400 });
  }
  const value = Number(threshold).toFixed(2);
  await withActor(await database(), { userId: user.id, username: user.username }, (trx) => setFlagThreshold(trx, value));
  return { error: null, saved: true };
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
