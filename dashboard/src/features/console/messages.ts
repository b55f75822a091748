/** Messages of the /console area; keys start with `console.`. zh-CN is the reference, English must match it. */
export const consoleZh = {} as const satisfies Record<string, string>;

export const consoleEn: Record<keyof typeof consoleZh, string> = {};
