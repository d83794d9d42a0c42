import type { EventType } from '@kairos/contracts';

/** One user-item interaction as every reader yields it, whatever the source format. */
export interface Interaction {
  /** Whose sequence this belongs to (for session-only data sets: the session). */
  userId: string;
  itemId: string;
  type: EventType;
  /** Event time, epoch milliseconds. */
  timestamp: number;
  sessionId?: string;
  /** Rating value (movielens) or any numeric value the source carried. */
  value?: number;
}

export const INTERACTION_FORMATS = ['kairos-jsonl', 'movielens', 'session-csv'] as const;
export type InteractionFormat = (typeof INTERACTION_FORMATS)[number];

export function isInteractionFormat(value: string): value is InteractionFormat {
  return (INTERACTION_FORMATS as readonly string[]).includes(value);
}

/** A malformed input line; the message names the file and line so it can be fixed. */
export class InteractionParseError extends Error {
  constructor(source: string, lineNumber: number, problem: string) {
    super(`${source}:${lineNumber}: ${problem}`);
    this.name = 'InteractionParseError';
  }
}
