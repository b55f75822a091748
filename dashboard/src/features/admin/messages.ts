/** Messages of the /admin area; keys start with `admin.`. zh-CN is the reference, English must match it. */
export const adminZh = {} as const satisfies Record<string, string>;

export const adminEn: Record<keyof typeof adminZh, string> = {};
