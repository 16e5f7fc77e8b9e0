import { Form, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/login";
import { database } from "../db.server";
import { authenticate, createSession, deleteSession, purgeExpiredSessions } from "../../db/users";
import { safeRedirectTarget, sessionCookie, sessionToken } from "../session.server";
import { userContext } from "../guard.server";
import { useT } from "../i18n";

export function meta() {
  return [{ title: "登录 · 预算执行监控" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const next = safeRedirectTarget(new URL(request.url).searchParams.get("next"));
  if (context.get(userContext)) throw redirect(next);
  return { next };
}

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData();
  const username = String(form.get("username") ?? "").trim();
  const password = String(form.get("password") ?? "");
  const next = safeRedirectTarget(String(form.get("next") ?? "/"));
  if (!username || !password) return data({ error: "请输入用户名和密码", username }, { status: 400 });

  const db = await database();
  const result = await authenticate(db, username, password);
  if (!("userId" in result)) {
    const error =
      result.reason === "locked"
        ? `登录失败次数过多，账户已锁定至 ${result.until.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" })}`
        : "用户名或密码错误";
    return data({ error, username }, { status: result.reason === "locked" ? 429 : 401 });
  }
  // A new session at every sign-in (the old one, if any, ends): no session fixation.
  const previous = sessionToken(request);
  if (previous) await deleteSession(db, previous);
  await purgeExpiredSessions(db);
  const token = await createSession(db, result.userId);
  return redirect(next, { headers: { "Set-Cookie": sessionCookie(token, request) } });
}

export default function Login({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT();
  const navigation = useNavigation();
  return (
    <div className="login">
      <h1>{t("appName")}</h1>
      <Form method="post" className="login-form">
        <input type="hidden" name="next" value={loaderData.next} />
        <label>
          {t("username")}
          <input name="username" autoComplete="username" defaultValue={actionData?.username ?? ""} required autoFocus />
        </label>
        <label>
          {t("password")}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {actionData?.error && (
          <p className="form-error" role="alert">
            {actionData.error}
          </p>
        )}
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("signIn")}
        </button>
      </Form>
    </div>
  );
}
