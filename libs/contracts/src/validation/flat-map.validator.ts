import { registerDecorator, type ValidationOptions } from 'class-validator';

export interface FlatMapRules {
  readonly maxKeys: number;
  readonly maxValueLength: number;
  /** Values allowed besides strings (catalog properties may hold numbers and booleans). */
  readonly allowScalars?: boolean;
}

/**
 * Keys become MongoDB field names downstream, so `$`-prefixed and dotted keys (operators, paths)
 * and prototype keys are refused here rather than escaped later.
 */
export const FLAT_MAP_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function flatMapProblem(value: unknown, rules: FlatMapRules): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'must be an object of string values';
  const entries = Object.entries(value);
  if (entries.length > rules.maxKeys) return `must have at most ${rules.maxKeys} keys`;
  for (const [key, entry] of entries) {
    if (!FLAT_MAP_KEY_PATTERN.test(key))
      return `key ${JSON.stringify(key.slice(0, 70))} must be 1-64 characters of [A-Za-z0-9_-]`;
    const scalar =
      rules.allowScalars === true &&
      (typeof entry === 'boolean' || (typeof entry === 'number' && Number.isFinite(entry)));
    if (typeof entry !== 'string' && !scalar) {
      return `value of ${key} must be a string${rules.allowScalars === true ? ', finite number or boolean' : ''}`;
    }
    if (typeof entry === 'string' && entry.length > rules.maxValueLength) {
      return `value of ${key} must be at most ${rules.maxValueLength} characters`;
    }
  }
  return null;
}

/** A flat map of short values, e.g. event context or catalog properties. */
export function IsFlatMap(rules: FlatMapRules, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isFlatMap',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => flatMapProblem(value, rules) === null,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} ${flatMapProblem(args?.value, rules) ?? 'is invalid'}`,
      },
    });
  };
}
