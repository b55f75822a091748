/** Messages of the /wall area; keys start with `wall.`. zh-CN is the reference, English must match it. */
export const wallZh = {} as const satisfies Record<string, string>;

export const wallEn: Record<keyof typeof wallZh, string> = {};
