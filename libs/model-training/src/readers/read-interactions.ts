import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { InteractionParseError, type Interaction, type InteractionFormat } from './interaction';
import {
  LineProblem,
  parseKairosJsonLine,
  parseMovieLensLine,
  parseSessionCsvLine,
} from './line-parsers';

const LINE_PARSERS: Record<InteractionFormat, (line: string) => Interaction | null> = {
  'kairos-jsonl': parseKairosJsonLine,
  movielens: parseMovieLensLine,
  'session-csv': parseSessionCsvLine,
};

/** Interactions in file order, streamed; a malformed line throws InteractionParseError. */
export async function* streamInteractions(
  path: string,
  format: InteractionFormat,
): AsyncGenerator<Interaction> {
  const parse = LINE_PARSERS[format];
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    let interaction: Interaction | null;
    try {
      interaction = parse(line);
    } catch (problem) {
      if (!(problem instanceof LineProblem)) throw problem;
      throw new InteractionParseError(basename(path), lineNumber, problem.message);
    }
    if (interaction !== null) yield interaction;
  }
}

/**
 * All interactions of a file, ordered by time. The sort is stable, so events with equal
 * timestamps keep their file order (sources often log several events in the same millisecond).
 */
export async function readInteractions(
  path: string,
  format: InteractionFormat,
): Promise<Interaction[]> {
  const interactions: Interaction[] = [];
  for await (const interaction of streamInteractions(path, format)) interactions.push(interaction);
  return interactions.sort((a, b) => a.timestamp - b.timestamp);
}
