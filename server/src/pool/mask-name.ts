/**
 * A person's name as a public screen shows it: the first character, the rest masked one star
 * each (at least one), so "张三丰" reads "张**" and "Li" reads "L*". Characters, not UTF-16 units.
 */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '*';
  return chars[0]! + '*'.repeat(Math.max(1, chars.length - 1));
}
