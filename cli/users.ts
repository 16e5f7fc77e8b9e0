import { randomBytes } from "node:crypto";
import type { DB } from "../db/pool.ts";
import { withActor, SYSTEM_ACTOR } from "../db/audit.ts";
import { createUser, listUsers, setPassword, UserError } from "../db/users.ts";
import { findUnitByName } from "../db/units.ts";
import { isRoleList, roleMessage, ROLES } from "../domain/permissions.ts";
import { cliLanguage, msg, render, translate, type Message } from "../messages/index.ts";
import { formatTable } from "./table.ts";

import { parseCommandLine, UsageError } from "./args.ts";

/** The CLI acts with administrator rights on the database it is pointed at; the trail says so. */
const CLI_ACTOR = { ...SYSTEM_ACTOR, username: "cli" };

/** A message in the CLI's language. */
const text = (message: Message) => render(cliLanguage(), message);

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
  if (extra.length > 0) throw new UsageError(msg("cliUnexpectedArgs", { args: extra.join(" ") }));

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
      if (!username) throw new UsageError(msg("cliMissingUsername"));
      if (!values.unit) throw new UsageError(msg("cliMissingUnitOption"));
      const roles = (values.role ?? "").split(",").map((role) => role.trim()).filter(Boolean);
      if (!isRoleList(roles)) throw new UsageError(msg("cliRoleChoice", { roles: ROLES.join(", ") }));
      const unit = await findUnitByName(db, values.unit);
      if (!unit) throw new UsageError(msg("cliUnknownUnit", { unit: values.unit }));
      const { password, generated } = await readPassword(values["password-stdin"]);
      await withActor(db, CLI_ACTOR, (trx) =>
        createUser(trx, { username, displayName: values["display-name"] ?? username, unitId: unit.id, roles, password }),
      );
      output.write(`${text(msg("cliUserCreated", { username, unit: unit.name, roles: roles.join(", ") }))}\n`);
      if (generated) output.write(`${text(msg("cliInitialPassword", { password }))}\n`);
      return 0;
    }
    if (subcommand === "passwd") {
      if (!username) throw new UsageError(msg("cliMissingUsername"));
      const user = (await listUsers(db)).find((candidate) => candidate.username === username);
      if (!user) throw new UsageError(msg("cliUnknownUser", { username }));
      const { password, generated } = await readPassword(values["password-stdin"]);
      await withActor(db, CLI_ACTOR, (trx) => setPassword(trx, user.id, password));
      output.write(`${text(msg("cliPasswordReset", { username }))}\n`);
      if (generated) output.write(`${text(msg("cliNewPassword", { password }))}\n`);
      return 0;
    }
  } catch (error) {
    if (error instanceof UserError) {
      process.stderr.write(`${text(msg("cliError", { text: error.detail }))}\n`);
      return 1;
    }
    throw error;
  }
  throw new UsageError(msg("cliUnknownSubcommand", { command: `user ${subcommand ?? ""}`.trim() }));
}
