import { describe, expect, it } from '@jest/globals';
import { clickTarget, notificationOf } from './push';

const ORIGIN = 'https://gridline.example';

describe('notificationOf', () => {
  const message = {
    eventId: '42',
    notificationId: 7,
    issueId: 9,
    kind: 'verify_task',
    title: '待核查 GL-1',
    body: '路灯不亮',
    url: '/m/issues/9',
  };

  it('shows the title and body, tagged by event id so a redelivery replaces it', () => {
    const n = notificationOf(message)!;
    expect(n.title).toBe('待核查 GL-1');
    expect(n.options).toMatchObject({ body: '路灯不亮', tag: 'gridline-event-42', renotify: false, requireInteraction: false });
    expect(n.options.data).toEqual({ url: '/m/issues/9', eventId: '42', issueId: 9 });
    expect(notificationOf(message)!.options.tag).toBe(n.options.tag);
  });

  it('keeps 红牌 and 督办 on screen until acted on', () => {
    expect(notificationOf({ ...message, kind: 'sla_breached' })!.options.requireInteraction).toBe(true);
    expect(notificationOf({ ...message, kind: 'supervision' })!.options.requireInteraction).toBe(true);
  });

  it('ignores what is not ours', () => {
    for (const bad of [null, 'text', {}, { ...message, eventId: 'x' }, { ...message, title: '' }, { ...message, eventId: 5 }]) {
      expect(notificationOf(bad)).toBeNull();
    }
  });
});

describe('clickTarget', () => {
  it('opens the issue on this origin, never another site', () => {
    expect(clickTarget({ url: '/dept?id=3' }, ORIGIN)).toBe(`${ORIGIN}/dept?id=3`);
    expect(clickTarget({ url: '//evil.example/x' }, ORIGIN)).toBe(`${ORIGIN}/`);
    expect(clickTarget({ url: 'https://evil.example/x' }, ORIGIN)).toBe(`${ORIGIN}/`);
    expect(clickTarget(null, ORIGIN)).toBe(`${ORIGIN}/`);
  });
});
