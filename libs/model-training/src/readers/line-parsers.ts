import { EVENT_TYPES, parseEventTimestamp, type EventType } from '@kairos/contracts';
import type { Interaction } from './interaction';

// Each parser turns one line into an interaction, null for a line to skip (header, blank), or
// throws a LineProblem describing what is wrong; the caller adds the file and line number.

export class LineProblem extends Error {}

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

function requireId(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value.length === 0)
    throw new LineProblem(`${field} must be a non-empty string`);
  return value;
}

/** `{"userId","itemId","type","timestamp"(ISO or ms),"sessionId"?,"value"?}` (the ingest shape). */
export function parseKairosJsonLine(line: string): Interaction | null {
  if (line.trim().length === 0) return null;
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    throw new LineProblem('not valid JSON');
  }
  if (typeof record !== 'object' || record === null) throw new LineProblem('must be a JSON object');
  const fields = record as Record<string, unknown>;
  if (!isEventType(fields.type))
    throw new LineProblem(`type must be one of ${EVENT_TYPES.join(', ')}`);
  const timestamp = parseEventTimestamp(fields.timestamp);
  if (timestamp === null)
    throw new LineProblem('timestamp must be ISO-8601 with a zone or epoch milliseconds');
  const interaction: Interaction = {
    userId: requireId(fields.userId, 'userId'),
    itemId: requireId(fields.itemId, 'itemId'),
    type: fields.type,
    timestamp,
  };
  if (typeof fields.sessionId === 'string') interaction.sessionId = fields.sessionId;
  if (typeof fields.value === 'number') interaction.value = fields.value;
  return interaction;
}

/** MovieLens `ratings.csv` (header, seconds) or `ratings.dat` (`::`-separated, seconds). */
export function parseMovieLensLine(line: string): Interaction | null {
  const trimmed = line.trim();
  if (trimmed.length === 0 || trimmed.startsWith('userId')) return null;
  const columns = trimmed.includes('::') ? trimmed.split('::') : trimmed.split(',');
  if (columns.length < 4) throw new LineProblem('expected userId, movieId, rating, timestamp');
  const [userId, movieId, rating, seconds] = columns as [string, string, string, string];
  const value = Number(rating);
  const timestampSeconds = Number(seconds);
  if (!Number.isFinite(value)) throw new LineProblem(`rating must be a number, got "${rating}"`);
  if (!Number.isInteger(timestampSeconds))
    throw new LineProblem(`timestamp must be integer seconds, got "${seconds}"`);
  return {
    userId: requireId(userId, 'userId'),
    itemId: requireId(movieId, 'movieId'),
    type: 'rating',
    timestamp: timestampSeconds * 1000,
    value,
  };
}

/**
 * Diginetica `session_id;user_id;item_id;timeframe;eventdate`: timeframe is a millisecond offset
 * within eventdate's day. Sessions are the sequences, so the session id is also the user id.
 */
export function parseSessionCsvLine(line: string): Interaction | null {
  const trimmed = line.trim();
  if (trimmed.length === 0 || trimmed.startsWith('session_id')) return null;
  const columns = trimmed.split(';');
  if (columns.length < 5)
    throw new LineProblem('expected session_id;user_id;item_id;timeframe;eventdate');
  const [sessionId, , itemId, timeframe, eventDate] = columns as [
    string,
    string,
    string,
    string,
    string,
  ];
  const offsetMs = Number(timeframe);
  if (!Number.isInteger(offsetMs) || offsetMs < 0)
    throw new LineProblem(`timeframe must be integer ms, got "${timeframe}"`);
  if (!DAY_PATTERN.test(eventDate))
    throw new LineProblem(`eventdate must be YYYY-MM-DD, got "${eventDate}"`);
  const session = requireId(sessionId, 'session_id');
  return {
    userId: session,
    sessionId: session,
    itemId: requireId(itemId, 'item_id'),
    type: 'view',
    timestamp: Date.parse(`${eventDate}T00:00:00Z`) + offsetMs,
  };
}
