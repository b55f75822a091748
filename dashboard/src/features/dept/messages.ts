/** Messages of the /dept area; keys start with `dept.`. zh-CN is the reference, English must match it. */
export const deptZh = {} as const satisfies Record<string, string>;

export const deptEn: Record<keyof typeof deptZh, string> = {};
