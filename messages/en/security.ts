/** security: sign-in limits and what the import tells about units out of reach (issue 17), in English. */
import type { securityMessages as zh } from "../zh/security";
import type { Mirror } from "../types";

export const securityMessages: Mirror<typeof zh> = {
  secSignInDelayed: "Too many failed sign-ins: try again in {seconds} seconds",
  secSignInThrottled: "Too many sign-in attempts: try again in {seconds} seconds",
  secSignInBusy: "The server is busy: try again shortly",
  secUnitOutOfReach: "unit “{unit}” does not exist or you may not import into it",
  secParentOutOfReach: "parent unit “{parent}” does not exist or you may not create units under it",
};
