import type { Grade } from "../../../domain/execution.ts";
import { msg, type Message } from "../../../messages/index.ts";

/* A grade (stored as the official form writes it: 优 / 良 / 合格 / 不合格) as a message in the user's language. */
const GRADE_KEYS = { 优: "seGradeExcellent", 良: "seGradeGood", 合格: "seGradePass", 不合格: "seGradeFail" } as const;

/** The catalogue key naming a stored grade, or null for any other value: gradeKey("优") → "seGradeExcellent". */
export function gradeKey(grade: string): (typeof GRADE_KEYS)[Grade] | null {
  return Object.hasOwn(GRADE_KEYS, grade) ? GRADE_KEYS[grade as Grade] : null;
}

/** gradeMessage("优") → 优 / Excellent. */
export function gradeMessage(grade: Grade): Message {
  return msg(GRADE_KEYS[grade]);
}
