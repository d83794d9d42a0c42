import { type AppName } from './app-name';

export interface ConfigProblem {
  readonly variable: string;
  readonly reason: string;
}

export class ConfigValidationError extends Error {
  constructor(
    readonly app: AppName,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid configuration for ${app}:\n` +
        problems.map((p) => `  - ${p.variable}: ${p.reason}`).join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}
