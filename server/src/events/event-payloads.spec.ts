import {
  issueEventBase,
  issueEventBaseSql,
  reportedData,
  reportedDataBeforeInsert,
  slaFiredData,
  supervisionRaisedData,
  transitionedData,
  type IssueForEvent,
} from './event-payloads';

const issue: IssueForEvent = {
  id: 7,
  number: 'GL-20261205-000007',
  status: 'dispatched',
  version: 3,
  title: '井盖缺失',
  categoryId: 12,
  priority: 'urgent',
  source: 'grid_worker',
  gridId: 40,
  communityId: 30,
  streetId: 20,
  districtId: 10,
  departmentId: 5,
  reporterId: 101,
  assigneeId: null,
};

const BASE_KEYS = [
  'issueId',
  'number',
  'seq',
  'status',
  'version',
  'title',
  'categoryId',
  'priority',
  'source',
  'gridId',
  'communityId',
  'streetId',
  'districtId',
  'departmentId',
  'reporterId',
  'assigneeId',
];

describe('issue event payloads', () => {
  it('every issue event carries the same base, read from the issue after the change', () => {
    const base = issueEventBase(issue, 4);
    expect(Object.keys(base).sort()).toEqual([...BASE_KEYS].sort());
    expect(base).toMatchObject({ issueId: 7, number: issue.number, seq: 4, status: 'dispatched', version: 3, departmentId: 5 });
  });

  it('the SQL builder names the same fields as the TypeScript one', () => {
    const sql = issueEventBaseSql('i', 'x.seq');
    const fields = [...sql.matchAll(/ AS "([a-zA-Z]+)"/g)].map((m) => m[1]);
    expect(fields.sort()).toEqual([...BASE_KEYS].sort());
    expect(sql).toContain('i.id AS "issueId"');
    expect(sql).toContain('i.department_id AS "departmentId"');
    expect(sql).toContain('x.seq AS "seq"');
  });

  it('issue.reported is event 1, from nothing to reported', () => {
    const reported = { ...issue, status: 'reported' as const, version: 1, departmentId: null };
    const data = reportedData(reported, 101, { started: ['accept', 'overall'] });
    expect(data).toMatchObject({ seq: 1, action: 'report', fromStatus: null, toStatus: 'reported', actorId: 101, version: 1 });
    expect(data.previousDepartmentId).toBeNull();
    const { id: _id, number: _n, ...beforeInsert } = reported;
    const partial = reportedDataBeforeInsert(beforeInsert, 101, { started: ['accept', 'overall'] });
    expect(partial).not.toHaveProperty('issueId');
    expect(partial).not.toHaveProperty('number');
    expect({ ...partial, issueId: 7, number: issue.number }).toEqual(data);
  });

  it('issue.transitioned says where the issue came from and went to', () => {
    const before = { status: 'accepted' as const, departmentId: null, assigneeId: 9 };
    const data = transitionedData(before, issue, 5, 'dispatch', 2, null);
    expect(data).toMatchObject({
      seq: 5,
      action: 'dispatch',
      fromStatus: 'accepted',
      toStatus: 'dispatched',
      status: 'dispatched',
      version: 3,
      departmentId: 5,
      previousDepartmentId: null,
      assigneeId: null,
      previousAssigneeId: 9,
      actorId: 2,
      sla: null,
    });
  });

  it('SLA and supervision events carry the rung and the 督办', () => {
    const fired = slaFiredData(issue, 6, {
      clockId: 3,
      stage: 'handle',
      level: 'breach',
      dueAt: new Date('2026-12-05T08:00:00Z'),
      supervisionId: 11,
      supervisionRegionId: 20,
    });
    expect(fired).toMatchObject({
      seq: 6,
      clockId: 3,
      stage: 'handle',
      level: 'breach',
      dueAt: '2026-12-05T08:00:00.000Z',
      supervisionId: 11,
    });
    const raised = supervisionRaisedData(issue, 7, { id: 11, level: 1, regionId: 20, clockId: 3, byUserId: null });
    expect(raised).toMatchObject({ seq: 7, supervisionId: 11, level: 1, regionId: 20, clockId: 3, byUserId: null });
  });

  it('no event carries a name or a phone number', () => {
    const all = [
      reportedData({ ...issue, status: 'reported', version: 1 }, 101, null),
      transitionedData(issue, issue, 2, 'accept', 1, null),
      slaFiredData(issue, 3, {
        clockId: 1,
        stage: 'accept',
        level: 'warning',
        dueAt: null,
        supervisionId: null,
        supervisionRegionId: null,
      }),
      supervisionRaisedData(issue, 4, { id: 1, level: 1, regionId: 20, clockId: null, byUserId: 2 }),
    ];
    for (const data of all) for (const key of Object.keys(data)) expect(key).not.toMatch(/name|phone|mobile|contact|address|lat|lng/i);
  });
});
