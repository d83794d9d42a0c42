import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { type ValidationError, type ValidatorOptions, validateSync } from 'class-validator';
import { acceptFast } from './fast-accept';
import { findReservedKey, reservedKeyReason } from './reserved-keys';
/** One problem with one input field, as reported to clients and in DLQ headers. */
export interface FieldIssue {
  readonly field: string;
  readonly reason: string;
}

/** Shared by the global ValidationPipe and validateDto, so HTTP bodies and batch entries agree. */
export const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

/**
 * Validates a plain value against a DTO class with the pipe's rules, for inputs the pipe does not
 * see one by one (batch entries, Kafka payloads).
 */
export function validateDto<T extends object>(
  dto: ClassConstructor<T>,
  plain: unknown,
): { readonly value: T } | { readonly issues: FieldIssue[] } {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { issues: [{ field: '(root)', reason: 'must be a JSON object' }] };
  }
  // Before class-transformer, which would drop a `__proto__` key silently; see RESERVED_KEYS.
  const reserved = findReservedKey(plain);
  if (reserved !== null)
    return { issues: [{ field: reserved, reason: reservedKeyReason(reserved) }] };
  const accepted = acceptFast(dto, plain);
  if (accepted !== undefined) return { value: accepted };
  const instance = plainToInstance(dto, plain);
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  return errors.length === 0 ? { value: instance } : { issues: toFieldIssues(errors) };
}

/** Flattens class-validator's tree into `a.b[2].c`-style field paths, one issue per rule. */
export function toFieldIssues(errors: readonly ValidationError[], parent = ''): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const error of errors) {
    const field = joinPath(parent, error.property);
    for (const reason of Object.values(error.constraints ?? {})) {
      issues.push({ field, reason });
    }
    if (error.children && error.children.length > 0)
      issues.push(...toFieldIssues(error.children, field));
  }
  return issues;
}

function joinPath(parent: string, property: string): string {
  if (parent === '') return property;
  return /^\d+$/.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;
}
