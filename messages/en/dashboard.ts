import type { Mirror } from "../types";
import type { dashboardMessages as zh } from "../zh/dashboard";

/** dashboard: the execution overview and its filters. */
export const dashboardMessages: Mirror<typeof zh> = {
  unitWithAll: "{unit} (all units)",
};
