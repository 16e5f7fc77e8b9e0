/** rectification: messages in Chinese (the reference catalogue; English mirrors its keys and placeholders). */
export const rectificationMessages = {
  // Rectification items (整改台账, issue 14)
  rcNav: "整改台账",
};
