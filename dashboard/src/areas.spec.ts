import { describe, expect, it } from '@jest/globals';
import { landingPath } from './areas';

describe('landingPath', () => {
  it('lands a role with one work area in it, the wall excepted; others on the home page', () => {
    expect(landingPath('grid_worker')).toBe('/m');
    expect(landingPath('dept_lead')).toBe('/dept');
    expect(landingPath('dept_staff')).toBe('/dept');
    expect(landingPath('dispatcher')).toBe('/');
    expect(landingPath('admin')).toBe('/');
    expect(landingPath('viewer')).toBe('/');
  });
});
