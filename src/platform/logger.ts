/** One-line JSON logs on stderr. Callers never pass secrets; errors are logged with their stack. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';
export type Log = (level: 'error' | 'warn' | 'info' | 'debug', message: string, extra?: unknown) => void;

const rank: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Log {
  return (at, message, extra) => {
    if (rank[at] > rank[level]) return;
    const entry: Record<string, unknown> = { at: new Date().toISOString(), level: at, message };
    if (extra instanceof Error)
      entry.error = { name: extra.name, message: extra.message, stack: extra.stack, cause: String(extra.cause ?? '') };
    else if (extra !== undefined) entry.extra = extra;
    write(JSON.stringify(entry));
  };
}
