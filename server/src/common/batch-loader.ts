/**
 * Gathers the lookups asked for in the same turn of the event loop into one call of `loadMany`
 * (one SQL statement with `= ANY`/`unnest` instead of one per caller). Under light load a batch
 * holds one key and costs what the single lookup did; under load, while `maxInFlight` batches
 * are out, new keys wait and go together in the next one, so 10,000 socket handshakes arriving
 * at once become a few dozen statements rather than 10,000 queued on the pool.
 *
 * Equal keys in a batch are looked up once. A failed batch rejects each of its callers with the
 * error; the next batch is independent.
 */
export interface BatchLoaderOptions<K, V> {
  /** One answer per key, in the keys' order (undefined: not found). */
  loadMany: (keys: K[]) => Promise<(V | undefined)[]>;
  /** Equal keys share one answer. */
  keyOf: (key: K) => string;
  /** The most keys in one call. */
  maxBatch?: number;
  /** The most calls out at once; more keys wait for one to come back. */
  maxInFlight?: number;
}

interface Waiting<V> {
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

export class BatchLoader<K, V> {
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private queue = new Map<string, { key: K; waiting: Waiting<V>[] }>();
  private scheduled = false;
  private inFlight = 0;

  constructor(private readonly options: BatchLoaderOptions<K, V>) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxInFlight = options.maxInFlight ?? 4;
  }

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const id = this.options.keyOf(key);
      const entry = this.queue.get(id);
      if (entry) entry.waiting.push({ resolve, reject });
      else this.queue.set(id, { key, waiting: [{ resolve, reject }] });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.size === 0 || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.size > 0 && this.inFlight < this.maxInFlight) {
      const batch: { key: K; waiting: Waiting<V>[] }[] = [];
      for (const [id, entry] of this.queue) {
        if (batch.length === this.maxBatch) break;
        batch.push(entry);
        this.queue.delete(id);
      }
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.schedule();
      });
    }
  }

  private async run(batch: { key: K; waiting: Waiting<V>[] }[]): Promise<void> {
    try {
      const values = await this.options.loadMany(batch.map((entry) => entry.key));
      batch.forEach((entry, i) => entry.waiting.forEach((w) => w.resolve(values[i])));
    } catch (error) {
      for (const entry of batch) entry.waiting.forEach((w) => w.reject(error));
    }
  }
}
