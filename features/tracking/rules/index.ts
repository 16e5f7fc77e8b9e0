/*
 * The rules of the mid-year tracking form (附件2-1 财政项目支出绩效运行监控), pure, one concept a file:
 *   conclusion.ts        the stage conclusion (运行正常 / 运行偏差) and the failing items
 *   deviation-causes.ts  the national categories and the catalogue of deviation causes
 *   likelihood.ts        the completion likelihoods and the judgements, stored as written, shown via the catalogue
 *   submission.ts        what a submission must carry (problems naming item and field)
 *   warnings.ts          what does not block a submission (the full-year estimate's rate)
 *   estimate.ts          the full-year estimate from last year's payment profile
 *   states.ts            the form's states: the review workflow of features/workflow
 *   indicator.ts         one indicator row's reading against its due target
 *   evaluation.ts        the whole form evaluated for the page
 *   fields.ts            the typed-in fields and how a posted form is read
 *   problem-field.ts     which input of the page a problem is about
 * Everything said to people is a Message (messages/*\/tracking.ts).
 */
export * from "./conclusion.ts";
export * from "./deviation-causes.ts";
export * from "./likelihood.ts";
export * from "./submission.ts";
export * from "./warnings.ts";
export * from "./estimate.ts";
export * from "./states.ts";
export * from "./indicator.ts";
export * from "./evaluation.ts";
export * from "./fields.ts";
export * from "./problem-field.ts";
