import 'reflect-metadata';
import { hostname } from 'node:os';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { type ConfigProblem } from './config-validation.error';
import { ENVIRONMENT_VARIABLES } from './environment-variables';
import { EnvironmentSchema } from './environment.schema';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The documented variables that are set, checked against their rules. Empty strings count as
 * unset so `FOO=` in an env file means "use the default", as it does for most tools.
 */
export function parseEnvironment(env: Environment): {
  parsed: EnvironmentSchema;
  problems: ConfigProblem[];
} {
  const present = Object.fromEntries(
    Object.keys(ENVIRONMENT_VARIABLES)
      .map((key) => [key, env[key]?.trim()] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = plainToInstance(EnvironmentSchema, present);
  const problems: ConfigProblem[] = [];
  for (const error of validateSync(parsed, { forbidUnknownValues: false })) {
    problems.push({
      variable: error.property,
      reason: Object.values(error.constraints ?? {}).join('; ') || 'is invalid',
    });
  }
  return { parsed, problems };
}

export function instanceIdOf(parsed: EnvironmentSchema): string {
  return parsed.KAIROS_INSTANCE_ID ?? `${hostname()}-${process.pid}`;
}

/** Humans read text on their terminal; anything deployed gets JSON for the log pipeline. */
export function logFormatOf(parsed: EnvironmentSchema): 'json' | 'text' {
  return (
    parsed.LOG_FORMAT ?? ((parsed.NODE_ENV ?? 'development') === 'development' ? 'text' : 'json')
  );
}
