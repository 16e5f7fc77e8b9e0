import { Form, data } from "react-router";
import type { Route } from "./+types/account";
import { database } from "../db.server";
import { authenticate, setPassword, UserError } from "../../db/users";
import { withActor } from "../../db/audit";
import { guard } from "../guard.server";
import { sessionToken } from "../session.server";
import { useT } from "../i18n";
import { ROLE_LABELS } from "../../domain/permissions";

export function meta() {
  return [{ title: "账户 · 预算执行监控" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  return { user: { username: user.username, displayName: user.displayName, unitName: user.unitName, roles: user.roles.map((r) => ROLE_LABELS[r]) } };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = guard(context, request, "read", null);
  const form = await request.formData();
  const current = String(form.get("current") ?? "");
  const next = String(form.get("password") ?? "");
  const confirm = String(form.get("confirm") ?? "");
  if (next !== confirm) return data({ ok: false, error: "两次输入的新密码不一致" }, { status: 400 });
  const db = await database();
  const check = await authenticate(db, user.username, current);
  if (!("userId" in check)) return data({ ok: false, error: check.reason === "locked" ? "账户已锁定，请稍后再试" : "当前密码不正确" }, { status: 400 });
  try {
    await withActor(db, { userId: user.id, username: user.username }, (trx) => setPassword(trx, user.id, next, sessionToken(request)));
  } catch (error) {
    if (error instanceof UserError) return data({ ok: false, error: error.message }, { status: 400 });
    throw error;
  }
  return { ok: true, error: null };
}

export default function Account({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const { user } = loaderData;
  return (
    <>
      <h1>{t("account")}</h1>
      <table className="form-table narrow">
        <tbody>
          <tr><th>{t("username")}</th><td>{user.username}</td></tr>
          <tr><th>{t("displayName")}</th><td>{user.displayName}</td></tr>
          <tr><th>{t("unit")}</th><td>{user.unitName}</td></tr>
          <tr><th>{t("roles")}</th><td>{user.roles.join("、")}</td></tr>
        </tbody>
      </table>
      <h2>{t("changePassword")}</h2>
      <Form method="post" className="stacked-form">
        <label>
          {t("currentPassword")}
          <input name="current" type="password" autoComplete="current-password" required />
        </label>
        <label>
          {t("newPassword")}
          <input name="password" type="password" autoComplete="new-password" minLength={10} required />
        </label>
        <label>
          {t("confirmPassword")}
          <input name="confirm" type="password" autoComplete="new-password" minLength={10} required />
        </label>
        {actionData?.error && <p className="form-error" role="alert">{actionData.error}</p>}
        {actionData?.ok && <p className="form-ok" role="status">{t("passwordChanged")}</p>}
        <button type="submit">{t("save")}</button>
      </Form>
    </>
  );
}
