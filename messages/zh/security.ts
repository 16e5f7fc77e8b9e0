/** security: sign-in limits and what the import tells about units out of reach (issue 17), in Chinese (the reference catalogue). */
export const securityMessages = {
  secSignInDelayed: "登录失败次数过多，已暂时锁定：请 {seconds} 秒后再试",
  secSignInThrottled: "登录尝试过于频繁：请 {seconds} 秒后再试",
  secSignInBusy: "服务器正忙，请稍后再试",
  secUnitOutOfReach: "预算单位“{unit}”不存在或无权导入到该单位",
  secParentOutOfReach: "上级单位“{parent}”不存在或无权在其下新建单位",
} as const;
