import { publicData, webhookBody } from './webhook-payload';

describe('webhook payload', () => {
  it('keeps what receivers need, including the per-issue seq', () => {
    const body = webhookBody({
      id: 'evt_1',
      type: 'issue.reported',
      occurredAt: '2026-12-05T10:00:00.000Z',
      data: { issueId: 7, number: 'G20261205-0007', gridId: 12, seq: 1, title: '井盖缺失', status: 'reported' },
    });
    expect(body).toEqual({
      type: 'issue.reported',
      timestamp: '2026-12-05T10:00:00.000Z',
      data: { issueId: 7, number: 'G20261205-0007', gridId: 12, seq: 1, title: '井盖缺失', status: 'reported' },
    });
  });

  it('drops resident contact details at every depth', () => {
    expect(
      publicData({
        issueId: 1,
        reporterPhone: '13800000000',
        contactPhone: '1',
        reporter: { name: '张三', phone: '1', id: 4 },
        residentName: 'x',
        email: 'a@b',
        address: '某路 1 号',
        categoryId: 3,
      }),
    ).toEqual({ issueId: 1, reporter: { id: 4 }, categoryId: 3 });
  });
});
