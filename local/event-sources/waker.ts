/**
 * A sleep that stop() and idle() can cut short, and that never outlives stop(). A wake()
 * while not asleep makes the next sleep return at once, so a wake-up is never lost.
 */
export class Waker {
  private timer: NodeJS.Timeout | undefined;
  private endSleep: (() => void) | undefined;
  private wakeRequested = false;
  private closed = false;

  sleep(ms: number): Promise<void> {
    if (this.closed || this.wakeRequested) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.endSleep = () => {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.endSleep = undefined;
        resolve();
      };
      this.timer = setTimeout(this.endSleep, ms);
    });
  }

  wake(): void {
    if (this.endSleep) this.endSleep();
    else this.wakeRequested = true;
  }

  close(): void {
    this.closed = true;
    this.wake();
  }
}
