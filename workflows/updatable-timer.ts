// A durable timer for "the earliest thing due" that is replaced only when that time moves, in the
// shape of temporalio/samples-typescript's timer-examples UpdatableTimer. Keeping the timer while
// the time stays the same keeps TimerStarted/TimerCanceled pairs out of the history.
import { CancellationScope, sleep } from '@temporalio/workflow';

export class UpdatableTimer {
  private at: number | null = null;
  private scope: CancellationScope | null = null;
  private done = false;

  /** True once the time set last has passed (until the next `set` with another time). */
  get fired(): boolean {
    return this.done;
  }

  /** Waits for `at` (epoch ms), or for nothing when null; a running timer for the same time stays. */
  set(at: number | null): void {
    if (this.scope && this.at === at && !this.done) return;
    this.scope?.cancel();
    this.scope = null;
    this.at = at;
    this.done = false;
    if (at === null) return;
    const scope = new CancellationScope();
    this.scope = scope;
    scope.run(() => sleep(Math.max(1, at - Date.now()))).then(() => {
      if (this.scope === scope) this.done = true;
    }, () => undefined);
  }
}
