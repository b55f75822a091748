/** The district's time zone: the wall's clock, trend labels and "today" follow it, not the browser's. */
export const WALL_TIME_ZONE = 'Asia/Shanghai';
