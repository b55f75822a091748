import type { IssueFrame } from '@gridline/shared';
import { IssueFrameBatches } from './issue-frame-batches';

const frame = (issueId: number, version = 1): IssueFrame => ({ issueId, version }) as unknown as IssueFrame;

/** Rooms of this instance: the district wall sockets, a street wall, a grid worker. */
const ROOMS: Record<string, string[]> = {
  district: ['wall-a', 'wall-b'],
  street7: ['street-wall'],
  grid42: ['worker'],
};

function batches() {
  const sent: { socketIds: string[]; issueIds: number[] }[] = [];
  const batcher = new IssueFrameBatches({
    socketsIn: (room) => (ROOMS[room] ? new Set(ROOMS[room]) : undefined),
    send: (socketIds, frames) => sent.push({ socketIds: [...socketIds].sort(), issueIds: frames.map((f) => f.issueId) }),
  });
  return { batcher, sent };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('IssueFrameBatches', () => {
  it('sends nothing before the turn ends, then each socket the frames of its rooms in one message, in order', async () => {
    const { batcher, sent } = batches();
    batcher.add(['district', 'street7', 'grid42'], frame(1));
    batcher.add(['district'], frame(2));
    batcher.add(['district', 'street7'], frame(3));
    expect(sent).toEqual([]);
    await nextTurn();
    expect(sent).toEqual(
      expect.arrayContaining([
        { socketIds: ['wall-a', 'wall-b'], issueIds: [1, 2, 3] },
        { socketIds: ['street-wall'], issueIds: [1, 3] },
        { socketIds: ['worker'], issueIds: [1] },
      ]),
    );
    expect(sent).toHaveLength(3);
  });

  it('gives a socket that is in several rooms of a frame that frame once', async () => {
    const { batcher, sent } = batches();
    ROOMS.region7 = ['street-wall'];
    try {
      batcher.add(['street7', 'region7'], frame(5));
      await nextTurn();
      expect(sent).toEqual([{ socketIds: ['street-wall'], issueIds: [5] }]);
    } finally {
      delete ROOMS.region7;
    }
  });

  it('sends a frame nobody here may see to no one, and starts a new batch on the next turn', async () => {
    const { batcher, sent } = batches();
    batcher.add(['grid99'], frame(8));
    await nextTurn();
    expect(sent).toEqual([]);
    batcher.add(['grid42'], frame(9));
    await nextTurn();
    expect(sent).toEqual([{ socketIds: ['worker'], issueIds: [9] }]);
  });

  it('drops what is queued when closed', async () => {
    const { batcher, sent } = batches();
    batcher.add(['district'], frame(1));
    batcher.close();
    await nextTurn();
    expect(sent).toEqual([]);
  });
});
