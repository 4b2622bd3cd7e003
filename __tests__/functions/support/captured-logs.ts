/** One structured log line written by the Powertools logger. */
export type LogEntry = Record<string, unknown> & { level: string; message: string };

export interface CapturedLogs {
  /** Entries at this level (`INFO`, `ERROR`...), oldest first. */
  at(level: string): LogEntry[];
  clear(): void;
  restore(): void;
}

/**
 * Captures what handlers log, silencing it, so tests can assert on it. Needs
 * POWERTOOLS_DEV=true before the handler is imported (see `useLocalAwsEnvironment`):
 * only then does the logger write through the `console` that Jest lets us replace.
 */
export function captureLogs(): CapturedLogs {
  const entries: LogEntry[] = [];
  const record = (...args: unknown[]): void => {
    try {
      entries.push(JSON.parse(String(args[0])) as LogEntry);
    } catch {
      // Not a Powertools line (an SDK warning, for instance): not ours to assert on.
    }
  };
  const spies = (['debug', 'info', 'warn', 'error'] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation(record),
  );
  return {
    at: (level) => entries.filter((entry) => entry.level === level),
    clear: () => entries.splice(0),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
