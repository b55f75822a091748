import { BatchLoader } from './batch-loader';

/** A loader over a small table, recording every call it makes. */
function tableLoader(options: { maxBatch?: number; maxInFlight?: number; fail?: (keys: number[]) => boolean } = {}) {
  const calls: number[][] = [];
  const pending: (() => void)[] = [];
  let hold = false;
  const loader = new BatchLoader<number, string>({
    keyOf: (k) => String(k),
    maxBatch: options.maxBatch,
    maxInFlight: options.maxInFlight,
    loadMany: async (keys) => {
      calls.push(keys);
      if (hold) await new Promise<void>((resolve) => pending.push(resolve));
      if (options.fail?.(keys)) throw new Error(`batch ${keys.join(',')} failed`);
      return keys.map((k) => (k > 0 ? `row ${k}` : undefined));
    },
  });
  return {
    loader,
    calls,
    holdAnswers: () => (hold = true),
    answerAll: () => {
      hold = false;
      pending.splice(0).forEach((resolve) => resolve());
    },
  };
}

describe('BatchLoader', () => {
  it('answers lookups asked together with one call, each caller with its own row', async () => {
    const { loader, calls } = tableLoader();
    const answers = await Promise.all([loader.load(3), loader.load(1), loader.load(2)]);
    expect(answers).toEqual(['row 3', 'row 1', 'row 2']);
    expect(calls).toEqual([[3, 1, 2]]);
  });

  it('looks an equal key up once and gives every asker the answer; a missing row is undefined', async () => {
    const { loader, calls } = tableLoader();
    const answers = await Promise.all([loader.load(7), loader.load(-1), loader.load(7)]);
    expect(answers).toEqual(['row 7', undefined, 'row 7']);
    expect(calls).toEqual([[7, -1]]);
  });

  it('asks a lone lookup at once, and a later one in a call of its own', async () => {
    const { loader, calls } = tableLoader();
    expect(await loader.load(1)).toBe('row 1');
    expect(await loader.load(2)).toBe('row 2');
    expect(calls).toEqual([[1], [2]]);
  });

  it('splits a crowd into calls of at most maxBatch keys', async () => {
    const { loader, calls } = tableLoader({ maxBatch: 2 });
    const answers = await Promise.all([1, 2, 3, 4, 5].map((k) => loader.load(k)));
    expect(answers).toEqual(['row 1', 'row 2', 'row 3', 'row 4', 'row 5']);
    expect(calls).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('while maxInFlight calls are out, gathers the new lookups into the next call', async () => {
    const table = tableLoader({ maxInFlight: 1 });
    table.holdAnswers();
    const first = table.loader.load(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((k) => table.loader.load(k));
    await new Promise((resolve) => setImmediate(resolve));
    expect(table.calls).toEqual([[1]]);
    table.answerAll();
    expect(await first).toBe('row 1');
    expect(await Promise.all(later)).toEqual(['row 2', 'row 3', 'row 4']);
    expect(table.calls).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every caller of a failed call, and the next call is not affected', async () => {
    const { loader } = tableLoader({ fail: (keys) => keys.includes(13) });
    const failed = await Promise.allSettled([loader.load(12), loader.load(13)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((failed[0] as PromiseRejectedResult).reason)).toContain('batch 12,13 failed');
    expect(await loader.load(12)).toBe('row 12');
  });
});
