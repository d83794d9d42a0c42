import { type ClassConstructor } from 'class-transformer';
import { type MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import { createRequire } from 'node:module';

/** class-transformer's registry of `@Type`/`@Expose`/`@Transform`, which it does not export. */
const transformerMetadata = (
  createRequire(__filename)('class-transformer/cjs/storage') as {
    defaultMetadataStorage: MetadataStorage;
  }
).defaultMetadataStorage;

/**
 * A fast accept-only pass over a DTO's own class-validator rules, for the hot paths that validate
 * every record (a `session-features` record in the recommender, an event body in ingest).
 *
 * class-transformer's plainToInstance plus class-validator's validateSync build an error tree for
 * every property and look metadata up per call; on valid input that bookkeeping is most of the
 * cost. This pass reads the same metadata once per class and calls the same constraint
 * functions (so `@Matches`, `@IsIn` or a custom rule mean exactly what they mean there), but it
 * only answers "valid, here is the instance" or "not sure". On "not sure" the caller runs the full
 * class-validator path, which stays the authority for refusals and their messages. A class using
 * anything this pass does not model (async rules, groups, `@Expose`/`@Transform`, `@Type` to
 * anything but a validated class, ...) is never fast-accepted.
 */
export function acceptFast<T extends object>(
  dto: ClassConstructor<T>,
  plain: object,
): T | undefined {
  const plan = planFor(dto);
  return plan === null ? undefined : (build(plan, plain) as T | undefined);
}

interface ConstraintCheck {
  readonly validate: (value: unknown, args: ValidationArguments) => unknown;
  readonly constraints: unknown[];
  readonly each: boolean;
}

interface PropertyPlan {
  readonly name: string;
  /** `@IsOptional`, `@ValidateIf`: the property's rules run only when all of these say so. */
  readonly conditions: ((object: object, value: unknown) => boolean)[];
  readonly checks: ConstraintCheck[];
  /** `@ValidateNested` with `@Type(() => Class)`: the nested class's plan. */
  nested: ClassPlan | null;
}

interface ClassPlan {
  readonly dto: ClassConstructor<object>;
  readonly properties: Map<string, PropertyPlan>;
}

const plans = new WeakMap<ClassConstructor<object>, ClassPlan | null>();
const PLAIN_TO_CLASS = 0;
/** Classes planned since the outermost planFor call began. */
let planning: ClassConstructor<object>[] | null = null;

function planFor(dto: ClassConstructor<object>): ClassPlan | null {
  const known = plans.get(dto);
  if (known !== undefined) return known;
  const outermost = planning === null;
  planning ??= [];
  planning.push(dto);
  const plan: ClassPlan = { dto, properties: new Map() };
  plans.set(dto, plan); // before the properties, so a class nested in itself finds its plan
  const complete = fillPlan(plan);
  plans.set(dto, complete ? plan : null);
  if (outermost) {
    // A class that failed may already be referenced by the plan of a class nested in it (a
    // cycle): every plan made in this run goes, and is made again when asked for.
    if (!complete) for (const planned of planning) if (planned !== dto) plans.delete(planned);
    planning = null;
  }
  return complete ? plan : null;
}

/** False when the class uses something this pass does not model. */
function fillPlan(plan: ClassPlan): boolean {
  const storage = getMetadataStorage();
  // As validateSync asks without groups or `always` (no metadata is registered under a schema
  // name, so '' and its undefined select the same rules).
  const metadatas = storage.getTargetValidationMetadatas(plan.dto, '', false, false, undefined);
  if (metadatas.length === 0) return false; // forbidUnknownValues refuses such a class
  if (hasTransformerRules(plan.dto)) return false;
  const grouped = storage.groupByPropertyName(metadatas);
  for (const [name, rules] of Object.entries(grouped)) {
    const property: PropertyPlan = { name, conditions: [], checks: [], nested: null };
    // class-transformer changes such a value on its way in (`@Transform`, `@Type` to a
    // primitive, a Set or a Map): only `@Type` to a nested class is modelled, below.
    if (transformerMetadata.findTransformMetadatas(plan.dto, name, PLAIN_TO_CLASS).length > 0)
      return false;
    const hasType = transformerMetadata.findTypeMetadata(plan.dto, name) !== undefined;
    if (hasType && !rules.some((rule) => rule.type === ValidationTypes.NESTED_VALIDATION))
      return false;
    for (const rule of rules) {
      if ((rule.groups?.length ?? 0) > 0 || rule.always === true) return false;
      switch (rule.type) {
        case ValidationTypes.WHITELIST:
          break;
        case ValidationTypes.CONDITIONAL_VALIDATION:
          property.conditions.push(
            rule.constraints[0] as (object: object, value: unknown) => boolean,
          );
          break;
        case ValidationTypes.CUSTOM_VALIDATION:
          for (const constraint of storage.getTargetValidatorConstraints(rule.constraintCls)) {
            if (constraint.async) return false;
            const instance = constraint.instance as ConstraintCheck;
            property.checks.push({
              validate: instance.validate.bind(instance),
              constraints: rule.constraints,
              each: rule.each === true,
            });
          }
          break;
        case ValidationTypes.NESTED_VALIDATION: {
          const nested = nestedClass(plan.dto, name);
          const nestedPlan = nested === null ? null : planFor(nested);
          if (nestedPlan === null) return false;
          property.nested = nestedPlan;
          break;
        }
        default: // isDefined, promise validation, anything newer
          return false;
      }
    }
    plan.properties.set(name, property);
  }
  return true;
}

function hasTransformerRules(dto: ClassConstructor<object>): boolean {
  return (
    transformerMetadata.getStrategy(dto) !== 'none' ||
    transformerMetadata.getExposedMetadatas(dto).length > 0 ||
    transformerMetadata.getExcludedMetadatas(dto).length > 0
  );
}

function nestedClass(
  dto: ClassConstructor<object>,
  property: string,
): ClassConstructor<object> | null {
  const type = transformerMetadata.findTypeMetadata(dto, property);
  if (type === undefined || type.options?.discriminator !== undefined) return null;
  // A Set or Map property is built as one by class-transformer; what JSON gives is neither.
  const declared: unknown = type.reflectedType;
  if (declared === Set || declared === Map) return null;
  const target: unknown = type.typeFunction();
  return typeof target === 'function' ? (target as ClassConstructor<object>) : null;
}

/** The instance plainToInstance would build, or undefined when not certainly valid. */
function build(plan: ClassPlan, plain: object): object | undefined {
  if (Object.getPrototypeOf(plain) !== Object.prototype && Object.getPrototypeOf(plain) !== null)
    return undefined;
  const instance = new plan.dto() as Record<string, unknown>;
  for (const [key, value] of Object.entries(plain) as [string, unknown][]) {
    const property = plan.properties.get(key);
    // Unknown keys are refused (forbidNonWhitelisted); `__proto__`, `constructor` and
    // Object.prototype's names, which class-transformer treats specially, are never properties.
    if (property === undefined || key in Object.prototype) return undefined;
    const converted = property.nested === null ? value : buildNested(property.nested, value);
    if (converted === undefined && value !== undefined) return undefined;
    instance[key] = converted;
  }
  for (const property of plan.properties.values()) {
    if (!propertyAccepted(instance, property)) return undefined;
  }
  return instance;
}

/**
 * `@Type` converts a nested object, or each object of an array (of arrays), to the nested class;
 * class-validator then wants every leaf to be an object.
 */
function buildNested(plan: ClassPlan, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (!Array.isArray(value)) return build(plan, value);
  const converted: unknown[] = [];
  for (const element of value as unknown[]) {
    const instance =
      typeof element === 'object' && element !== null ? buildNested(plan, element) : undefined;
    if (instance === undefined) return undefined;
    converted.push(instance);
  }
  return converted;
}

function propertyAccepted(instance: Record<string, unknown>, property: PropertyPlan): boolean {
  const value = instance[property.name];
  for (const condition of property.conditions) if (!condition(instance, value)) return true;
  for (const check of property.checks) {
    const checkArgs: ValidationArguments = {
      targetName: instance.constructor.name,
      property: property.name,
      object: instance,
      value,
      constraints: check.constraints,
    };
    if (check.each && Array.isArray(value)) {
      for (const element of value as unknown[])
        if (!check.validate(element, checkArgs)) return false;
    } else if (!check.validate(value, checkArgs)) {
      return false;
    }
  }
  // Nested values were built (and so checked) above; anything else under @ValidateNested is an
  // error for class-validator unless absent.
  if (property.nested !== null && value !== undefined)
    return typeof value === 'object' && value !== null;
  return true;
}
