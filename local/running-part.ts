/**
 * The one shape of everything the local runtime keeps running (an event source, a
 * function's execution environments, a state machine, the REST API, the pipeline itself):
 * a caller can wait for it to finish what it was given, and stop it.
 */
export interface RunningPart {
  /**
   * Resolves once everything handed to this part before the call has been handled
   * (succeeded, failed for good, or kept for a retry that waits on a delay); at once after stop().
   */
  idle(): Promise<void>;
  /** Stops it and resolves once nothing of it runs any more. Safe to call more than once. */
  stop(): Promise<void>;
}
