// A small cache for things the adapter looks up on Slack (people's names,
// room kinds): fresh for a while, stale better than nothing, and never
// slower than `timeoutMs` for the person waiting on an answer.

export interface DirectoryOptions {
  ttlMs: number;
  /** How long an inbound event waits for a lookup before going ahead without it. */
  timeoutMs: number;
  now?: () => number;
  /** Entries kept before the oldest are dropped. */
  maxEntries?: number;
}

export class Directory<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  private readonly pending = new Map<string, Promise<V | undefined>>();
  private readonly now: () => number;

  constructor(
    private readonly fetch: (key: string) => Promise<V | undefined>,
    private readonly opts: DirectoryOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** The cached value, fresh or not. */
  peek(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  remember(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.now() });
    const max = this.opts.maxEntries ?? 5000;
    if (this.entries.size > max) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  /** A fresh value, else a lookup (waited for at most `timeoutMs`), else the stale value. */
  async get(key: string): Promise<V | undefined> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.at < this.opts.ttlMs) return entry.value;
    const lookup = this.lookup(key);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.opts.timeoutMs);
    });
    const found = await Promise.race([lookup, timeout]).finally(() => clearTimeout(timer));
    return found ?? entry?.value;
  }

  private lookup(key: string): Promise<V | undefined> {
    let running = this.pending.get(key);
    if (!running) {
      running = this.fetch(key)
        .then((value) => {
          if (value !== undefined) this.remember(key, value);
          return value;
        })
        .catch(() => undefined)
        .finally(() => this.pending.delete(key));
      this.pending.set(key, running);
    }
    return running;
  }
}
