/** The 小类 a worker reported most recently, first (kept on the device, per user). */
const KEY = 'gridline.m.recentCategories';
const MAX = 6;

function read(userId: number): number[] {
  try {
    const all = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, unknown>;
    const list = all[userId];
    return Array.isArray(list) ? list.filter((x): x is number => typeof x === 'number') : [];
  } catch {
    return [];
  }
}

export function recentCategories(userId: number): number[] {
  return read(userId);
}

export function rememberCategory(userId: number, categoryId: number): void {
  try {
    const all = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, number[]>;
    all[userId] = [categoryId, ...read(userId).filter((id) => id !== categoryId)].slice(0, MAX);
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    // storage full or disabled: the picker still works, without the shortcut
  }
}
