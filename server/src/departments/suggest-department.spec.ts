import { mostSpecificDuty } from './suggest-department';

// Region path of a grid: city 1 → district 2 → street 3 → community 4 → grid 5.
const gridPath = [1, 2, 3, 4, 5];

describe('mostSpecificDuty', () => {
  it('prefers the duty of the most specific region above the grid', () => {
    const duties = [
      { departmentId: 10, categoryId: 7, regionId: null },
      { departmentId: 20, categoryId: 7, regionId: 3 },
      { departmentId: 30, categoryId: 7, regionId: 4 },
    ];
    expect(mostSpecificDuty(duties, 7, gridPath)).toBe(30);
  });

  it('falls back to the district-wide duty, and ignores other regions and categories', () => {
    const duties = [
      { departmentId: 10, categoryId: 7, regionId: null },
      { departmentId: 20, categoryId: 7, regionId: 99 },
      { departmentId: 40, categoryId: 8, regionId: 4 },
    ];
    expect(mostSpecificDuty(duties, 7, gridPath)).toBe(10);
  });

  it('returns null when no duty applies', () => {
    expect(mostSpecificDuty([{ departmentId: 20, categoryId: 7, regionId: 99 }], 7, gridPath)).toBeNull();
  });
});
