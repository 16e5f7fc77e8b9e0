import { randomBytes } from "node:crypto";
import type { DB } from "../db/pool.ts";
import { withActor, SYSTEM_ACTOR } from "../db/audit.ts";
import { createUser, listUsers, setPassword, UserError } from "../db/users.ts";
import { findUnitByName } from "../db/units.ts";
import { isRoleList, roleMessage, ROLES } from "../domain/permissions.ts";
import { cliLanguage, render, translate } from "../messages/index.ts";
import { formatTable } from "./table.ts";

import { parseCommandLine, UsageError } from "./args.ts";

/** The CLI acts with administrator rights on the database it is pointed at; the trail says so. */
const CLI_ACTOR = { ...SYSTEM_ACTOR, username: "cli" };

async function readPassword(fromStdin: boolean | undefined): Promise<{ password: string; generated: boolean }> {
  if (!fromStdin) return { password: randomBytes(12).toString("base64url"), generated: true };
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return { password: Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, ""), generated: false };
}

/**
 * budget user add NAME --unit UNIT --role ROLE[,ROLE] [--display-name TEXT] [--password-stdin]
 * budget user passwd NAME [--password-stdin]
 * budget user list [--json]
 * Without --password-stdin a random password is generated and printed once.
 */
export async function userCommand(db: DB, args: string[], output: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    unit: { type: "string" },
    role: { type: "string" },
    "display-name": { type: "string" },
    "password-stdin": { type: "boolean" },
    json: { type: "boolean" },
  } as const);
  const [subcommand, username, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`多余的参数 unexpected arguments: ${extra.join(" ")}`);

  try {
    if (subcommand === "list") {
      const users = await listUsers(db);
      if (values.json) {
        output.write(`${JSON.stringify(users, null, 2)}\n`);
        return 0;
      }
      const language = cliLanguage();
      const t = (key: Parameters<typeof translate>[1]) => translate(language, key);
      output.write(
        formatTable(
          [t("username"), t("displayName"), t("usrUnitColumn"), t("roles"), t("status")],
          users.map((user) => [
            user.username,
            user.displayName,
            user.unitName,
            user.roles.map((role) => render(language, roleMessage(role))).join(t("listSeparator")),
            [user.active ? t("active") : t("inactive"), user.lockedUntil ? `${t("lockedUntil")} ${user.lockedUntil}` : "", user.passwordIsDemo ? t("demoPassword") : ""]
              .filter(Boolean)
              .join(" "),
          ]),
          [false, false, false, false, false],
        ),
      );
      return 0;
    }
    if (subcommand === "add") {
      if (!username) throw new UsageError("缺少用户名 missing username");
      if (!values.unit) throw new UsageError("缺少 --unit missing --unit");
      const roles = (values.role ?? "").split(",").map((role) => role.trim()).filter(Boolean);
      if (!isRoleList(roles)) throw new UsageError(`--role 应为 ${ROLES.join(", ")} 之一或多个（逗号分隔）`);
      const unit = await findUnitByName(db, values.unit);
      if (!unit) throw new UsageError(`未知单位 unknown unit: ${values.unit}`);
      const { password, generated } = await readPassword(values["password-stdin"]);
      await withActor(db, CLI_ACTOR, (trx) =>
        createUser(trx, { username, displayName: values["display-name"] ?? username, unitId: unit.id, roles, password }),
      );
      output.write(`已创建用户 user created: ${username} (${unit.name}; ${roles.join(", ")})\n`);
      if (generated) output.write(`初始密码 initial password: ${password}\n`);
      return 0;
    }
    if (subcommand === "passwd") {
      if (!username) throw new UsageError("缺少用户名 missing username");
      const user = (await listUsers(db)).find((candidate) => candidate.username === username);
      if (!user) throw new UsageError(`未知用户 unknown user: ${username}`);
      const { password, generated } = await readPassword(values["password-stdin"]);
      await withActor(db, CLI_ACTOR, (trx) => setPassword(trx, user.id, password));
      output.write(`已重置密码 password reset: ${username}\n`);
      if (generated) output.write(`新密码 new password: ${password}\n`);
      return 0;
    }
  } catch (error) {
    if (error instanceof UserError) {
      process.stderr.write(`错误 error: ${render(cliLanguage(), error.detail)}\n`);
      return 1;
    }
    throw error;
  }
  throw new UsageError(`未知子命令 unknown subcommand: user ${subcommand ?? ""}`.trim());
}
