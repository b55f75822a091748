export interface Duty {
  departmentId: number;
  categoryId: number;
  /** null: everywhere. */
  regionId: number | null;
}

/**
 * The department a dispatcher is offered: among the category's duties, the one whose region is
 * the most specific ancestor of the grid (`gridPath` = ids from the root to the grid); a duty
 * without a region applies everywhere; duties for other regions never apply.
 */
export function mostSpecificDuty(duties: readonly Duty[], categoryId: number, gridPath: readonly number[]): number | null {
  let best: { departmentId: number; depth: number } | null = null;
  for (const duty of duties) {
    if (duty.categoryId !== categoryId) continue;
    const depth = duty.regionId === null ? 0 : gridPath.indexOf(duty.regionId) + 1;
    if (duty.regionId !== null && depth === 0) continue;
    if (!best || depth > best.depth) best = { departmentId: duty.departmentId, depth };
  }
  return best?.departmentId ?? null;
}
