import type { Mirror } from "../types";
import type { rectificationMessages as zh } from "../zh/rectification";

/** rectification: messages in English. */
export const rectificationMessages: Mirror<typeof zh> = {
  // Rectification items (整改台账, issue 14)
  rcNav: "Rectification",
};
