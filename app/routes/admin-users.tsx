import { useEffect, useRef, type ReactNode } from "react";
import { Form, Link, data, useNavigation } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/admin-users";
import { database } from "../db.server";
import { guard, logRefusal } from "../guard.server";
import { recordIdSchema } from "../route-params.server";
import {
  addUserAccount,
  resetUserPassword,
  setUserAccess,
  updateUserAccount,
  userAdminPage,
  type UserAdminActor,
  type UserAdminOutcome,
} from "../../features/admin/users";
import type { UserErrors, UserField } from "../../features/admin/rules/users";
import type { Role } from "../../domain/permissions";
import { msg, useT, type Message, type MessageKey } from "../i18n";
import { pageTitle } from "../route-title";
import { ErrorMessage } from "../root";
import { typedAgain } from "../typed-again";

/*
 * 用户管理 (/admin/users): an administrator's users — of their unit and the units below it — added,
 * their passwords reset (a generated one shown once, here), roles, unit and name changed, disabled
 * (their sessions end) and enabled again. The service checks role, scope and version in one
 * audited transaction; this route parses the form (zod) and shows the outcome at the fields.
 */

export function meta({ matches }: Route.MetaArgs) {
  return [{ title: pageTitle(matches, "usTitle") }];
}

function actorOf(user: { id: number; username: string; roles: readonly Role[]; unitId: number; unitSubtree: number[] }): UserAdminActor {
  return { userId: user.id, username: user.username, roles: user.roles, unitId: user.unitId, unitSubtree: user.unitSubtree };
}

// A generated password must not stay in a cache: neither the page nor an action's answer is stored.
const NO_STORE = { "Cache-Control": "no-store" };

export function headers() {
  return NO_STORE;
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const admin = guard(context, request, "administer", null);
  return userAdminPage(await database(), actorOf(admin));
}

const INTENTS = ["add-user", "update-user", "reset-password", "set-active"] as const;
type Intent = (typeof INTENTS)[number];
const text = (max: number) => z.string().max(max).catch("");

/** A posted change: which, the user and the version the page showed, and the form's fields. */
const actionSchema = z.object({
  intent: z.enum(INTENTS).nullable().catch(null),
  userId: recordIdSchema.nullable().catch(null),
  version: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .nullable()
    .catch(null),
  username: text(200),
  displayName: text(1000),
  unitId: text(20),
  roles: z.array(z.string().max(20)).max(10).catch([]),
  passwordMode: z.enum(["generate", "set"]).catch("generate"),
  // Long enough that an over-long password reaches the policy's own message.
  password: text(10_000),
  confirm: text(10_000),
  active: z
    .enum(["yes", "no"])
    .transform((value) => value === "yes")
    .nullable()
    .catch(null),
});

/** What the page shows after a change; `password` is a generated one, shown this once and never again. */
interface ActionResult {
  intent: Intent | null;
  userId: number | null;
  ok: boolean;
  message: Message;
  errors: UserErrors;
  username: string | null;
  password: string | null;
  /** What was typed into the add or profile form (never a password), kept after a refusal. */
  typed: { username: string; displayName: string; unitId: string; roles: string[] } | null;
}

export async function action({ request, context }: Route.ActionArgs) {
  const admin = guard(context, request, "administer", null);
  const form = await request.formData();
  const one = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : null;
  };
  const names = ["intent", "userId", "version", "username", "displayName", "unitId", "passwordMode", "password", "confirm", "active"];
  const input = actionSchema.parse({
    ...Object.fromEntries(names.map((name) => [name, one(name)])),
    roles: form.getAll("roles").filter((value): value is string => typeof value === "string"),
  });
  const typed = input.intent === "add-user" || input.intent === "update-user" ? { username: input.username, displayName: input.displayName, unitId: input.unitId, roles: input.roles } : null;
  if (input.intent === null) {
    const result: ActionResult = { intent: null, userId: null, ok: false, message: msg("usUnknownIntent"), errors: {}, username: null, password: null, typed };
    return data(result, { status: 400, headers: NO_STORE });
  }
  const db = await database();
  const actor = actorOf(admin);
  const ref = { userId: input.userId, version: input.version };
  let outcome: UserAdminOutcome;
  if (input.intent === "add-user") outcome = await addUserAccount(db, actor, input);
  else if (input.intent === "update-user") outcome = await updateUserAccount(db, actor, { ...ref, displayName: input.displayName, unitId: input.unitId, roles: input.roles });
  else if (input.intent === "reset-password") outcome = await resetUserPassword(db, actor, { ...ref, passwordMode: input.passwordMode, password: input.password, confirm: input.confirm });
  else outcome = await setUserAccess(db, actor, { ...ref, active: input.active });
  if (outcome.kind === "done") {
    const result: ActionResult = { intent: input.intent, userId: outcome.userId, ok: true, message: outcome.message, errors: {}, username: outcome.username, password: outcome.password, typed: null };
    return data(result, { headers: NO_STORE });
  }
  if (outcome.status === 403) {
    logRefusal(context, "write-refused", { user: admin.username, intent: input.intent, userId: input.userId, path: "/admin/users" });
  }
  const result: ActionResult = { intent: input.intent, userId: input.userId, ok: false, message: outcome.message, errors: outcome.errors, username: null, password: null, typed };
  return data(result, { status: outcome.status, headers: NO_STORE });
}

type LoaderData = Route.ComponentProps["loaderData"];
type Choices = Pick<LoaderData, "units" | "roles">;

export default function AdminUsers({ loaderData, actionData }: Route.ComponentProps) {
  const { t, m } = useT();
  const { users, unitName } = loaderData;
  const result = actionData as ActionResult | undefined;
  const addResult = result?.intent === "add-user" ? result : undefined;
  const rowResult = result && result.intent !== "add-user" ? result : undefined;
  const rowShown = rowResult !== undefined && users.some((user) => user.id === rowResult.userId);
  return (
    <>
      <div className="page-title">
        <h1>{t("usTitle")}</h1>
        <span className="muted" data-testid="user-count">
          {m(msg("usCount", { count: users.length }))}
        </span>
      </div>
      <p>
        <Link to="/admin">{t("usBackToAdmin")}</Link>
      </p>
      <p className="muted small">{m(msg("usIntro", { unit: unitName }))}</p>
      <p className="muted small" data-testid="users-cli-hint">
        {t("usCliHint")}
      </p>
      {rowResult && !rowShown && (
        <p className={rowResult.ok ? "form-ok" : "conflict"} role={rowResult.ok ? "status" : "alert"} data-testid="user-result">
          {m(rowResult.message)}
        </p>
      )}
      <details open={addResult !== undefined} className="no-print" data-testid="user-add" style={{ marginBottom: "12px" }}>
        <summary>{t("usAddTitle")}</summary>
        <AddUserForm choices={loaderData} result={addResult} />
      </details>
      <div className="table-scroll">
        <table className="data-table" data-testid="users-table">
          <thead>
            <tr>
              <th>{t("username")}</th>
              <th>{t("displayName")}</th>
              <th>{t("usUnit")}</th>
              <th>{t("roles")}</th>
              <th>{t("status")}</th>
              <th>{t("usColActions")}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <UserRow key={user.id} user={user} choices={loaderData} result={rowResult?.userId === user.id ? rowResult : undefined} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Moves focus to the first field marked invalid when a refusal arrives, so the user is where the problem is. */
function useFocusOnError(result: ActionResult | undefined) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (result && !result.ok) ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [result]);
  return ref;
}

function AddUserForm({ choices, result }: { choices: Choices; result: ActionResult | undefined }) {
  const { t } = useT();
  const ref = useFocusOnError(result);
  const errors = result?.errors ?? {};
  const typed = result && !result.ok ? result.typed : null;
  return (
    // A user added empties the form (a new key); a refused one keeps what was typed.
    <Form method="post" className="stacked-form" noValidate ref={ref} key={result?.ok ? `added-${result.userId}` : "new"} data-testid="user-add-form">
      <Field name="username" label="username" errors={errors} hint={t("usUsernameHint")}>
        <input name="username" defaultValue={typed?.username ?? ""} autoComplete="off" maxLength={40} aria-invalid={errors.username ? true : undefined} />
      </Field>
      <Field name="displayName" label="displayName" errors={errors}>
        <input name="displayName" defaultValue={typed?.displayName ?? ""} maxLength={100} aria-invalid={errors.displayName ? true : undefined} />
      </Field>
      <UnitSelect units={choices.units} value={typed?.unitId ?? ""} errors={errors} />
      <RoleChecks roles={choices.roles} checked={(typed?.roles ?? []) as string[]} errors={errors} />
      <PasswordFields errors={errors} />
      <SubmitButton intent="add-user" label={t("usAddButton")} />
      {result && <Outcome result={result} />}
    </Form>
  );
}

function UserRow({ user, choices, result }: { user: LoaderData["users"][number]; choices: Choices; result: ActionResult | undefined }) {
  const { t, m } = useT();
  return (
    <tr data-testid={`user-${user.username}`} data-active={user.active ? "yes" : "no"}>
      <td className="nowrap">
        {user.username}
        {user.isSelf && <span className="muted">{t("usSelf")}</span>}
      </td>
      <td style={{ minWidth: "7em" }}>{user.displayName}</td>
      <td style={{ minWidth: "10em" }}>{user.unitName}</td>
      <td style={{ minWidth: "6em" }}>{user.roleNames.map(m).join(t("listSeparator"))}</td>
      <td style={{ minWidth: "6em" }}>
        {!user.active ? t("inactive") : user.lockedUntil ? `${t("lockedUntil")} ${user.lockedUntil}` : t("active")}
        {user.passwordIsDemo && <span className="badge-warn">{t("demoPassword")}</span>}
      </td>
      <td style={{ minWidth: "14em" }}>
        <details open={result !== undefined && !result.ok}>
          <summary>{t("usManage")}</summary>
          <ProfileForm user={user} choices={choices} result={result?.intent === "update-user" ? result : undefined} />
          {user.isSelf ? (
            <p className="muted small">{t("usSelfHint")}</p>
          ) : (
            <>
              <ResetForm user={user} result={result?.intent === "reset-password" ? result : undefined} />
              <AccessForm user={user} />
            </>
          )}
        </details>
        {result && <Outcome result={result} />}
      </td>
    </tr>
  );
}

function ProfileForm({ user, choices, result }: { user: LoaderData["users"][number]; choices: Choices; result: ActionResult | undefined }) {
  const { t } = useT();
  const ref = useFocusOnError(result);
  const errors = result?.errors ?? {};
  // A change refused at its fields comes back with what was typed (a native post reloads the page).
  const typed = typedAgain(result);
  return (
    <Form method="post" className="stacked-form" noValidate ref={ref} key={`profile-${user.version}`}>
      <h3 className="small">{t("usProfileTitle")}</h3>
      <input type="hidden" name="userId" value={user.id} />
      <input type="hidden" name="version" value={user.version} />
      <Field name="displayName" label="displayName" errors={errors}>
        <input name="displayName" defaultValue={typed?.displayName ?? user.displayName} maxLength={100} aria-invalid={errors.displayName ? true : undefined} />
      </Field>
      <UnitSelect units={choices.units} value={typed?.unitId ?? String(user.unitId)} errors={errors} />
      <RoleChecks roles={choices.roles} checked={typed?.roles ?? user.roles} errors={errors} />
      <SubmitButton intent="update-user" label={t("usSaveProfile")} />
    </Form>
  );
}

function ResetForm({ user, result }: { user: LoaderData["users"][number]; result: ActionResult | undefined }) {
  const { t } = useT();
  const ref = useFocusOnError(result);
  return (
    <Form method="post" className="stacked-form" noValidate ref={ref} key={`password-${user.version}`}>
      <h3 className="small">{t("usPasswordTitle")}</h3>
      <input type="hidden" name="userId" value={user.id} />
      <input type="hidden" name="version" value={user.version} />
      <PasswordFields errors={result?.errors ?? {}} />
      <SubmitButton intent="reset-password" label={t("usResetButton")} />
    </Form>
  );
}

function AccessForm({ user }: { user: LoaderData["users"][number] }) {
  const { t } = useT();
  return (
    <Form method="post" className="stacked-form">
      <h3 className="small">{t("usAccessTitle")}</h3>
      <input type="hidden" name="userId" value={user.id} />
      <input type="hidden" name="version" value={user.version} />
      <input type="hidden" name="active" value={user.active ? "no" : "yes"} />
      {user.active && <p className="muted small">{t("usDisableHint")}</p>}
      <SubmitButton intent="set-active" label={t(user.active ? "usDisable" : "usEnable")} />
    </Form>
  );
}

/** A labelled field with its error beneath, in the page's language. */
function Field({ name, label, errors, hint, children }: { name: UserField; label: MessageKey; errors: UserErrors; hint?: string; children: ReactNode }) {
  const { t, m } = useT();
  const error = errors[name];
  return (
    <>
      <label className={error ? "has-error" : undefined}>
        {t(label)}
        {children}
        {hint && <span className="small muted">{hint}</span>}
      </label>
      {error && (
        <span className="field-error" role="alert" data-field={name}>
          {m(error)}
        </span>
      )}
    </>
  );
}

function UnitSelect({ units, value, errors }: { units: Choices["units"]; value: string; errors: UserErrors }) {
  return (
    <Field name="unitId" label="usUnit" errors={errors}>
      <select name="unitId" defaultValue={value} aria-invalid={errors.unitId ? true : undefined}>
        {value === "" && <option value="">—</option>}
        {units.map((unit) => (
          <option key={unit.id} value={unit.id}>
            {unit.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

function RoleChecks({ roles, checked, errors }: { roles: Choices["roles"]; checked: readonly string[]; errors: UserErrors }) {
  const { t, m } = useT();
  return (
    <fieldset className={errors.roles ? "has-error" : undefined} style={{ border: "none", padding: 0, margin: 0 }}>
      <legend className="small muted">{t("roles")}</legend>
      {roles.map(({ role, name }, index) => (
        <label key={role} className="check-line">
          <input type="checkbox" name="roles" value={role} defaultChecked={checked.includes(role)} aria-invalid={errors.roles && index === 0 ? true : undefined} />
          {m(name)}
        </label>
      ))}
      {errors.roles && (
        <span className="field-error" role="alert" data-field="roles">
          {m(errors.roles)}
        </span>
      )}
    </fieldset>
  );
}

/** The new password: generated (the default) or typed twice. */
function PasswordFields({ errors }: { errors: UserErrors }) {
  const { t } = useT();
  return (
    <>
      <fieldset style={{ border: "none", padding: 0, margin: 0 }}>
        <legend className="small muted">{t("usPasswordMode")}</legend>
        <label className="check-line">
          <input type="radio" name="passwordMode" value="generate" defaultChecked={!errors.password && !errors.confirm} />
          {t("usPasswordGenerate")}
        </label>
        <label className="check-line">
          <input type="radio" name="passwordMode" value="set" defaultChecked={Boolean(errors.password || errors.confirm)} />
          {t("usPasswordSet")}
        </label>
      </fieldset>
      <Field name="password" label="newPassword" errors={errors}>
        <input name="password" type="password" autoComplete="new-password" aria-invalid={errors.password ? true : undefined} />
      </Field>
      <Field name="confirm" label="confirmPassword" errors={errors}>
        <input name="confirm" type="password" autoComplete="new-password" aria-invalid={errors.confirm ? true : undefined} />
      </Field>
    </>
  );
}

/** The outcome of a change: its message, and a generated password shown this once. */
function Outcome({ result }: { result: ActionResult }) {
  const { t, m } = useT();
  return (
    <>
      <p className={result.ok ? "form-ok small" : "form-error small"} role={result.ok ? "status" : "alert"} data-testid="user-outcome">
        {m(result.message)}
      </p>
      {result.password !== null && result.username !== null && (
        <div className="conflict" data-testid="generated-password">
          <p>
            {m(msg("usGeneratedPassword", { username: result.username }))}{" "}
            <code data-testid="password-value" style={{ fontSize: "16px", userSelect: "all" }}>
              {result.password}
            </code>
          </p>
          <p className="small">{t("usGeneratedOnce")}</p>
        </div>
      )}
    </>
  );
}

function SubmitButton({ intent, label }: { intent: Intent; label: string }) {
  const busy = useNavigation().state !== "idle";
  return (
    <button type="submit" name="intent" value={intent} disabled={busy}>
      {label}
    </button>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { language } = useT();
  return <ErrorMessage error={error} language={language} />;
}
