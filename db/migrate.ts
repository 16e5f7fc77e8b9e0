import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from "kysely";
import * as ledger from "./migrations/0001-ledger.ts";
import * as usersAuditVersions from "./migrations/0002-users-audit-versions.ts";
import * as importBatches from "./migrations/0003-import-batches.ts";
import * as rollupOnProjectDelete from "./migrations/0004-rollup-on-project-delete.ts";
import * as auditUnitsNoTruncate from "./migrations/0005-audit-units-no-truncate.ts";
import * as performanceIndicators from "./migrations/0006-performance-indicators.ts";
import * as trackingForms from "./migrations/0008-tracking-forms.ts";
import * as expenditureStandards from "./migrations/0007-expenditure-standards.ts";
import * as importBatchAudit from "./migrations/0009-import-batch-audit.ts";
import * as performanceDeclarations from "./migrations/0010-performance-declarations.ts";
import * as corrections from "./migrations/0011-corrections.ts";
import * as declarationOnlyProjects from "./migrations/0012-declaration-only-projects.ts";
import * as costSharesDrivers from "./migrations/0013-cost-shares-drivers.ts";
import * as executionContribution from "./migrations/0014-execution-contribution.ts";
import * as selfEvaluation from "./migrations/0015-self-evaluation.ts";
import * as rectification from "./migrations/0016-rectification.ts";
import * as workCalendar from "./migrations/0017-work-calendar.ts";
import * as batchDatesNotices from "./migrations/0018-batch-dates-notices.ts";
import * as batchReports from "./migrations/0019-batch-reports.ts";
import * as reopenReason from "./migrations/0020-rectification-reopen-reason.ts";
import * as manualRectification from "./migrations/0021-rectification-manual.ts";

/** The migrations in name order. Imported statically so that they also work inside the app's server bundle. */
const migrations: Record<string, Migration> = {
  "0001-ledger": ledger,
  "0002-users-audit-versions": usersAuditVersions,
  "0003-import-batches": importBatches,
  "0004-rollup-on-project-delete": rollupOnProjectDelete,
  "0005-audit-units-no-truncate": auditUnitsNoTruncate,
  "0006-performance-indicators": performanceIndicators,
  "0008-tracking-forms": trackingForms,
  "0007-expenditure-standards": expenditureStandards,
  "0009-import-batch-audit": importBatchAudit,
  "0010-performance-declarations": performanceDeclarations,
  "0011-corrections": corrections,
  "0012-declaration-only-projects": declarationOnlyProjects,
  "0013-cost-shares-drivers": costSharesDrivers,
  "0014-execution-contribution": executionContribution,
  "0015-self-evaluation": selfEvaluation,
  "0016-rectification": rectification,
  "0017-work-calendar": workCalendar,
  "0018-batch-dates-notices": batchDatesNotices,
  "0019-batch-reports": batchReports,
  "0020-rectification-reopen-reason": reopenReason,
  "0021-rectification-manual": manualRectification,
};

const provider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/** Runs every pending migration; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  // Unordered: a database that ran a later-numbered migration first (0012 landed in working trees
  // before 0011) still takes the earlier one, instead of refusing to start.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const resultSet = await migrator.migrateToLatest();
  if (resultSet.error) {
    const failed = resultSet.results?.find((result) => result.status === "Error");
    const cause = resultSet.error instanceof Error ? resultSet.error.message : String(resultSet.error);
    throw new Error(`migration ${failed?.migrationName ?? "(unknown)"} failed: ${cause}`, { cause: resultSet.error });
  }
  return resultSet;
}
