/**
 * Clerk's Backend API allows a number of requests per 10 s for each secret key: 1,000 for a
 * production key (sk_live_), 100 for a development one. Every call is counted here; bulk work
 * (backfill, reconciliation) waits whenever it would take more than its share of the window, so
 * that lazy sync, which never waits, keeps its headroom.
 */
export class RequestWindow {
  static readonly WINDOW_MS = 10_000;
  /** A call counts this much longer than the window: Clerk sees it later than we send it. */
  static readonly MARGIN_MS = 250;
  /** The part of the limit bulk work may use. */
  static readonly BULK_SHARE = 0.5;
  private readonly sent: number[] = [];

  constructor(readonly limit: number) {}

  static forSecretKey(secretKey: string | undefined): RequestWindow {
    return new RequestWindow(secretKey?.startsWith('sk_live_') ? 1_000 : 100);
  }

  /** Counts an interactive call (of `requests` HTTP requests): it never waits. */
  record(requests = 1): void {
    const now = Date.now();
    this.prune(now);
    for (let i = 0; i < requests; i++) this.sent.push(now);
  }

  /** The calls held: those of the window as of the last call (older ones are forgotten on each call). */
  get held(): number {
    return this.sent.length;
  }

  private prune(now: number): void {
    while (this.sent.length && this.sent[0] <= now - RequestWindow.WINDOW_MS - RequestWindow.MARGIN_MS)
      this.sent.shift();
  }

  /** Waits until a bulk call (of `requests` HTTP requests) fits within its share of the window, then counts it. */
  async acquireBulk(requests = 1): Promise<void> {
    const allowed = Math.max(requests, Math.floor(this.limit * RequestWindow.BULK_SHARE));
    for (;;) {
      const now = Date.now();
      this.prune(now);
      if (this.sent.length + requests <= allowed) return this.record(requests);
      const wait =
        this.sent[this.sent.length + requests - 1 - allowed] +
        RequestWindow.WINDOW_MS +
        RequestWindow.MARGIN_MS -
        now +
        1;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
