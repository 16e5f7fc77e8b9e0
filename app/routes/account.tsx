import { Form, data } from "react-router";
import type { Route } from "./+types/account";
import { database } from "../db.server";
import { changeOwnPassword } from "../../db/users";
import { guard } from "../guard.server";
import { sessionToken } from "../session.server";
import { useT, type Message } from "../i18n";
import { roleMessage } from "../../domain/permissions";
import { pageTitle } from "../route-title";

export function meta({ matches }: Route.MetaArgs) {
  return [{ title: pageTitle(matches, "account") }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = guard(context, request, "read", null);
  return { user: { username: user.username, displayName: user.displayName, unitName: user.unitName, roles: user.roles.map(roleMessage) } };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = guard(context, request, "read", null);
  const form = await request.formData();
  const outcome = await changeOwnPassword(await database(), user, {
    current: String(form.get("current") ?? ""),
    next: String(form.get("password") ?? ""),
    confirm: String(form.get("confirm") ?? ""),
    keepSessionToken: sessionToken(request),
  });
  if (outcome !== "changed") return data({ ok: false, error: outcome.problem as Message | null }, { status: 400 });
  return { ok: true, error: null as Message | null };
}

export default function Account({ loaderData, actionData }: Route.ComponentProps) {
  const { t, m } = useT();
  const { user } = loaderData;
  return (
    <>
      <h1>{t("account")}</h1>
      <table className="form-table narrow">
        <tbody>
          <tr><th>{t("username")}</th><td>{user.username}</td></tr>
          <tr><th>{t("displayName")}</th><td>{user.displayName}</td></tr>
          <tr><th>{t("unit")}</th><td>{user.unitName}</td></tr>
          <tr><th>{t("roles")}</th><td>{user.roles.map(m).join(t("listSeparator"))}</td></tr>
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
        {actionData?.error && <p className="form-error" role="alert">{m(actionData.error)}</p>}
        {actionData?.ok && <p className="form-ok" role="status">{t("passwordChanged")}</p>}
        <button type="submit">{t("save")}</button>
      </Form>
    </>
  );
}
