/** Longest `db.query.text` recorded; a statement shows a command's shape, not its data. */
export const MAX_STATEMENT_LENGTH = 1_000;

/**
 * `db.query.text` for a MongoDB command: its shape with every value as `?`, like the
 * instrumentation's default, but with arrays longer than three cut to their first element and a
 * count of the rest (`[{…}, "255 more"]`) and the whole cut at MAX_STATEMENT_LENGTH.
 *
 * The default serializes the whole command. For a recommendation write (an `update` of 256 lists
 * of 100 scored items) that was a 754 KB statement taking 12-25 ms of the event loop to
 * build, on the write's path, for every sampled batch, and then 754 KB to export; bounded, it is
 * 332 characters in about 5.5 µs (`npm run bench:telemetry:db-statement`, 2-core Xeon VM,
 * node 20). Values are never recorded (user and item ids are personal data in some
 * deployments), so there is no `enhancedDatabaseReporting` here.
 */
export function boundedStatement(command: Record<string, unknown>): string {
  const out = { text: '' };
  write(command, out, 0);
  return out.text.length > MAX_STATEMENT_LENGTH
    ? `${out.text.slice(0, MAX_STATEMENT_LENGTH - 1)}…`
    : out.text;
}

/** Arrays up to this long are shown whole; longer ones by their first element and a count. */
const WHOLE_ARRAY_LENGTH = 3;

/** Deeper than this, a value is shown as `?`: the shape that matters is near the top. */
const MAX_DEPTH = 8;

function write(value: unknown, out: { text: string }, depth: number): void {
  if (out.text.length > MAX_STATEMENT_LENGTH) return;
  if (Array.isArray(value)) {
    if (value.length === 0 || depth >= MAX_DEPTH) {
      out.text += value.length === 0 ? '[]' : '"?"';
      return;
    }
    // Short arrays whole (the branches of an `$or`, a pipeline's few stages), long ones by their
    // first element (documents and updates of one shape).
    const shown = value.length <= WHOLE_ARRAY_LENGTH ? value.length : 1;
    out.text += '[';
    for (let index = 0; index < shown; index++) {
      if (index > 0) out.text += ',';
      write(value[index], out, depth + 1);
    }
    if (value.length > shown) out.text += `,"${value.length - shown} more"`;
    out.text += ']';
    return;
  }
  if (!isPlainObject(value) || depth >= MAX_DEPTH) {
    // Scalars, and BSON values (ObjectId, Binary, Long, Date ...), which are data too.
    out.text += '"?"';
    return;
  }
  out.text += '{';
  let first = true;
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue;
    out.text += `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    write(field, out, depth + 1);
    if (out.text.length > MAX_STATEMENT_LENGTH) return;
  }
  out.text += '}';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
