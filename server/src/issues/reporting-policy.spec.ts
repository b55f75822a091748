import { ISSUE_SOURCES, ROLES, roleMayTake } from '@gridline/shared';
import { AppException } from '../common/app.exception';
import { DEFAULT_SOURCE, REPORTING_POLICIES, reportingChannel } from './reporting-policy';

describe('reporting policy', () => {
  it('agrees with the workflow table on who may report', () => {
    for (const role of ROLES) {
      const source = DEFAULT_SOURCE[role];
      // A role that may report has a default source it may use; a role that may not has none.
      expect([role, source !== undefined && REPORTING_POLICIES[source]!.roles.includes(role)]).toEqual([role, roleMayTake(role, 'report')]);
    }
    for (const source of ISSUE_SOURCES) {
      for (const role of REPORTING_POLICIES[source]?.roles ?? [])
        expect([source, role, roleMayTake(role, 'report')]).toEqual([source, role, true]);
    }
  });

  it('gives each role its default source and the sources its entry allows, nothing else', () => {
    expect(reportingChannel('grid_worker', undefined).source).toBe('grid_worker');
    expect(reportingChannel('dispatcher', undefined).source).toBe('dispatcher');
    expect(reportingChannel('dispatcher', 'hotline').source).toBe('hotline');
    expect(reportingChannel('dispatcher', 'resident').source).toBe('resident');
    const refused = new AppException('VALIDATION_FAILED', 'A grid_worker cannot report with source hotline', { field: 'source' });
    expect(() => reportingChannel('grid_worker', 'hotline')).toThrow(refused);
    expect(() => reportingChannel('dispatcher', 'grid_worker')).toThrow(AppException);
    expect(() => reportingChannel('dispatcher', 'open311')).toThrow(AppException);
    expect(() => reportingChannel('viewer', undefined)).toThrow(AppException);
    // Residents report for themselves with source resident, nothing else.
    expect(reportingChannel('resident', undefined).source).toBe('resident');
    expect(() => reportingChannel('resident', 'hotline')).toThrow(AppException);
    expect(() => reportingChannel('resident', 'grid_worker')).toThrow(AppException);
  });

  it('limits resident reports to the resident-friendly list of categories', () => {
    expect(REPORTING_POLICIES.resident).toMatchObject({ categories: 'resident_list', placement: 'reporter_scope' });
    for (const source of ['grid_worker', 'dispatcher', 'hotline'] as const) expect(REPORTING_POLICIES[source]!.categories).toBe('any');
  });

  it('places staff reports in the reporter scope, photos as the category says', () => {
    for (const source of ['grid_worker', 'dispatcher', 'hotline'] as const) {
      expect(REPORTING_POLICIES[source]).toMatchObject({ placement: 'reporter_scope', photos: 'per_category' });
    }
  });
});
