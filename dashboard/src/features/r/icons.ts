/** The pictures of the resident category list, by icon key (categories.resident_icon); unknown keys get the generic one. */
const ICONS: Record<string, string> = {
  trash: '🗑️',
  boxes: '📦',
  stall: '🛒',
  road: '🛣️',
  manhole: '⭕',
  car: '🚗',
  water: '💧',
  pipe: '🚰',
  lamp: '💡',
  bench: '🪑',
  noise: '🔊',
  smoke: '💨',
  bolt: '⚡',
  home: '🏠',
  help: '🤝',
};

export function categoryIcon(key: string): string {
  return ICONS[key] ?? '📍';
}
