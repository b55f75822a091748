/** Messages of the /m area; keys start with `m.`. zh-CN is the reference, English must match it. */
export const mobileZh = {} as const satisfies Record<string, string>;

export const mobileEn: Record<keyof typeof mobileZh, string> = {};
