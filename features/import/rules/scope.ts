import { roleAllows, type Permission, type Role } from "../../../domain/permissions.ts";
import { IMPORT_KINDS, type ImportKind } from "./columns.ts";

/*
 * Who may import what, in one place: the permission each kind of file needs, and the units an importer
 * may write to (their unit and the units below it; the CLI: every unit).
 */

/** The permission each kind of file needs. */
export const IMPORT_PERMISSION: Record<ImportKind, Permission> = {
  "budget-lines": "edit-budget",
  adjustments: "edit-adjustment",
  payments: "edit-payment",
};

/** The kinds of file a user with these roles may import: importableKinds(["manager"]) → ["adjustments"]. */
export function importableKinds(roles: readonly Role[]): ImportKind[] {
  return IMPORT_KINDS.filter((kind) => roleAllows(roles, IMPORT_PERMISSION[kind]));
}

/** The units an importer may write to: null for all (the CLI). */
export interface ImportScope {
  unitSubtree: readonly number[] | null;
}

/** Whether the importer may write to (or create units under) a unit: mayImportInto({ unitSubtree: [3, 4] }, 4) → true. */
export function mayImportInto(scope: ImportScope, unitId: number): boolean {
  return scope.unitSubtree === null || scope.unitSubtree.includes(unitId);
}

/** The units the importer may write to, with those the import itself created under them; null for all. */
export function writableUnits(scope: ImportScope, created: readonly number[]): number[] | null {
  return scope.unitSubtree === null ? null : [...scope.unitSubtree, ...created];
}
