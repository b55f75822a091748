/** The display name staff see for any resident account: never the phone or the name (those stay in `residents`). */
export const RESIDENT_DISPLAY_NAME = '群众';

/** Resident accounts have no password ('!' never verifies): the phone and a one-time code sign them in. */
export const NO_PASSWORD = '!';
