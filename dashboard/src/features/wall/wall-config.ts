/**
 * The wall's time zone until the first snapshot brings the server's own (WallStats.timeZone, its
 * TIME_ZONE setting): the clock, feed times and trend labels follow the server, not the browser.
 */
export const DEFAULT_WALL_TIME_ZONE = 'Asia/Shanghai';
