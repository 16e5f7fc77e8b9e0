import type { Mirror } from "../types";
import type { importMessages as zh } from "../zh/import";

/** import: messages in English. */
export const importMessages: Mirror<typeof zh> = {
  importData: "Import data",
  importKind: "Kind",
  importFile: "File",
  checkFile: "Check (dry run)",
  templates: "Templates",
  alreadyImported: "This file was imported before; nothing changed",
  imported: "Imported",
  importRejected: "Errors found; nothing imported",
  dryRunPassed: "Check passed; nothing written yet",
  rowsRead: "Rows read",
  rowsNew: "New",
  rowsUpdated: "Updated",
  rowsUnchanged: "Already present",
  rowsDuplicate: "Duplicates",
  rowsError: "Errors",
  newUnits: "New units",
  newProjects: "New projects",
  createdUnits: "Units created",
  createdProjects: "Projects created",
  confirmImport: "Import now",
  nothingToImport: "Every row of the file is already in the ledger: nothing to import",
  // — issue 11 §5 over-budget (helper D2) —
  obTitle: "Single payments larger than their project's budget for the whole year",
  obHelp: "Each payment below is larger than its project's adjusted budget for the year (the initial budget where nothing was adjusted). The usual cause is an amount in 10k yuan (万元) entered as yuan (元). Check each one against its voucher; import only when they are right. The confirmation is recorded in the change history.",
  obRow: "Row {row}: {unit} {project} ({year}): payment of {amount} yuan exceeds the adjusted budget of {budget} yuan",
  obMore: "… and {count} more",
  obAcknowledge: "I have checked these payments: they are not yuan / 10,000-yuan slips",
  obRefused: "Not imported: some payments exceed their project's budget for the year; tick the confirmation to import them",
  obNotImported: "Not imported",
};
