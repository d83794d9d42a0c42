// Small helpers shared by the model CLIs: strict number parsing with messages naming the flag.

export class UsageError extends Error {}

export function integerOption(
  value: string | undefined,
  flag: string,
  fallback: number,
  min = 1,
): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) {
    throw new UsageError(`--${flag} must be an integer >= ${min}, got "${value}"`);
  }
  return parsed;
}

export function numberOption(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new UsageError(`--${flag} must be a positive number, got "${value}"`);
  }
  return parsed;
}

/** Runs a CLI's main, printing usage errors without a stack trace and exiting non-zero. */
export function runCli(main: () => Promise<void> | void, usage: string): void {
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`error: ${error.message}\n\n${usage}`);
        process.exitCode = 2;
        return;
      }
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
