import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InteractionParseError } from './interaction';
import { readInteractions } from './read-interactions';

describe('readInteractions', () => {
  let directory: string;
  beforeAll(() => (directory = mkdtempSync(join(tmpdir(), 'kairos-readers-'))));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const write = (name: string, content: string) => {
    const path = join(directory, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads kairos-jsonl with ISO and millisecond timestamps, ordered by time', async () => {
    const path = write(
      'events.jsonl',
      [
        '{"userId":"u1","itemId":"b","type":"purchase","timestamp":"2026-01-01T00:00:02Z","sessionId":"s1"}',
        '',
        '{"userId":"u1","itemId":"a","type":"view","timestamp":1767225601000}',
      ].join('\n'),
    );
    await expect(readInteractions(path, 'kairos-jsonl')).resolves.toEqual([
      { userId: 'u1', itemId: 'a', type: 'view', timestamp: 1767225601000 },
      { userId: 'u1', itemId: 'b', type: 'purchase', timestamp: 1767225602000, sessionId: 's1' },
    ]);
  });

  it('names the file and line of a bad kairos-jsonl record', async () => {
    const path = write('bad.jsonl', '{"userId":"u1","itemId":"a","type":"look","timestamp":1}\n');
    const reading = readInteractions(path, 'kairos-jsonl');
    await expect(reading).rejects.toBeInstanceOf(InteractionParseError);
    await expect(readInteractions(path, 'kairos-jsonl')).rejects.toThrow(/bad\.jsonl:1: type/);
  });

  it('reads movielens ratings.csv (seconds, header) and ratings.dat (::)', async () => {
    const csv = write('ratings.csv', 'userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n');
    const dat = write('ratings.dat', '1::1193::5::978300760\n');
    await expect(readInteractions(csv, 'movielens')).resolves.toEqual([
      { userId: '1', itemId: '31', type: 'rating', timestamp: 1260759144000, value: 2.5 },
    ]);
    await expect(readInteractions(dat, 'movielens')).resolves.toEqual([
      { userId: '1', itemId: '1193', type: 'rating', timestamp: 978300760000, value: 5 },
    ]);
  });

  it('reads the Diginetica session csv with timeframe as an offset within the day', async () => {
    const path = write(
      'views.csv',
      'session_id;user_id;item_id;timeframe;eventdate\n1;NA;81766;526309;2016-05-09\n1;NA;31331;1000;2016-05-09\n',
    );
    const day = Date.parse('2016-05-09T00:00:00Z');
    await expect(readInteractions(path, 'session-csv')).resolves.toEqual([
      { userId: '1', sessionId: '1', itemId: '31331', type: 'view', timestamp: day + 1000 },
      { userId: '1', sessionId: '1', itemId: '81766', type: 'view', timestamp: day + 526309 },
    ]);
  });
});
