/**
 * Young-generation collections in the server's quiet moments.
 *
 * Re-parsing an edited file allocates a few megabytes (~5 MB for semconv-main's messaging/spans.yaml),
 * so left to itself V8 scavenges every few keystrokes, in the middle of whatever runs then: the
 * diagnostics of the next edit, or the completion the user is waiting for. Collecting once the server
 * has been quiet for a moment (no keystroke, no request, no check for `delayMs`) moves that pause into
 * the gap between keystrokes, and the next piece of work starts with an empty young generation.
 *
 * `collect` is V8's `gc({ type: 'minor' })`, present when the server runs with `--expose-gc`
 * (SERVER_NODE_FLAGS in src/extension/languageClient.ts).
 */
export class IdleCollector {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly busyChecks: Array<() => boolean> = [];
  private disposed = false;

  constructor(
    private readonly collect: (options: { type: 'minor' }) => void,
    private readonly delayMs = 25,
  ) {}

  /**
   * Work that must not be paused by a collection (a check in flight): while `isBusy` answers true the
   * quiet moment is skipped, and whoever finishes that work calls `activity()` again.
   */
  addBusyCheck(isBusy: () => boolean): void {
    this.busyChecks.push(isBusy);
  }

  /** Something happened that allocated (an edit, a re-parse, a check): collect after `delayMs` of quiet. */
  activity(): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.disposed || this.busyChecks.some((busy) => busy())) return;
      this.collect({ type: 'minor' });
    }, this.delayMs);
    // A pending collection never keeps the process alive.
    this.timer.unref?.();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
