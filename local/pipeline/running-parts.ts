/**
 * Everything a local pipeline started, so that it can be stopped as one, newest first (an
 * event source before the function it invokes, the functions before the emulators they
 * reach), and waited on as one.
 */
import type { RunningPart } from '../running-part';
import type { EmitPipelineEvent } from './pipeline-events';

/** An emulator has nothing to finish: stopping it is all it offers. */
type Stoppable = Pick<RunningPart, 'stop'> & Partial<Pick<RunningPart, 'idle'>>;

export class RunningParts {
  private readonly parts: Stoppable[] = [];

  constructor(private readonly emit: EmitPipelineEvent) {}

  /** Adds a part and returns it, so that starting and registering read as one step. */
  add<T extends Stoppable>(part: T): T {
    this.parts.push(part);
    return part;
  }

  /**
   * Resolves once every part is idle and stays so for a whole pass: work handed from one
   * part to the next (a stored order streaming to the next function) is waited for too,
   * because a pass during which `activity` moved is followed by another.
   *
   * @param activity a count that grows with every piece of work done (invocations, notifications)
   */
  async idle(activity: () => number = () => 0): Promise<void> {
    for (;;) {
      const before = activity();
      await Promise.all(this.parts.map((part) => part.idle?.()));
      if (activity() === before) return;
    }
  }

  /** Stops every part, newest first; a part that fails to stop is reported and the rest still stop. */
  async stop(): Promise<void> {
    for (const part of this.parts.splice(0).reverse()) {
      await part.stop().catch((error: unknown) => this.emit({ kind: 'error', where: 'stop', error }));
    }
  }
}
