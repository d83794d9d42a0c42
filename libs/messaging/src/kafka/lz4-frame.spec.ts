import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeLz4Frames, Lz4FrameError } from './lz4-frame.decoder';
import { encodeLz4Frame } from './lz4-frame.encoder';

const FIXTURES = resolve(__dirname, '../../../../test/fixtures/lz4');
const fixture = (name: string): Buffer => readFileSync(resolve(FIXTURES, name));

/** test/fixtures/lz4/write_frames.py's content(n). */
function content(n: number): Buffer {
  const lines: string[] = [];
  for (let j = 0; j < n; j++) {
    const i = j % 250;
    lines.push(`event ${i} user-${(i * 7) % 97} item-${(i * 13) % 1009} click\n`);
  }
  return Buffer.from(lines.join(''));
}

/** write_frames.py's noise(n). */
function noise(n: number): Buffer {
  const out = Buffer.alloc(n);
  let state = 1;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out[i] = (state >>> 16) & 0xff;
  }
  return out;
}

describe('LZ4 frames', () => {
  describe('decoding frames the reference library wrote (Python lz4)', () => {
    it('reads linked blocks, whose matches reach into earlier blocks, with every checksum field', () => {
      expect(decodeLz4Frames(fixture('linked-checksums.lz4')).equals(content(5_000))).toBe(true);
    });

    it('reads stored blocks', () => {
      expect(decodeLz4Frames(fixture('stored.lz4')).equals(noise(3_000))).toBe(true);
    });

    it('reads concatenated frames and skips a skippable frame between them', () => {
      const expected = Buffer.concat([content(300), content(200)]);
      expect(decodeLz4Frames(fixture('concatenated.lz4')).equals(expected)).toBe(true);
    });
  });

  describe('encoding', () => {
    const inputs: Array<[string, Buffer]> = [
      ['empty', Buffer.alloc(0)],
      ['shorter than a match may be', Buffer.from('abcdefghijk')],
      ['one repeated byte (overlapping matches)', Buffer.alloc(100_000, 0x61)],
      ['text over several blocks', content(8_000)],
      ['incompressible', noise(70_000)],
      [
        'long literal and match runs',
        Buffer.concat([noise(1_000), Buffer.alloc(5_000, 7), noise(300)]),
      ],
    ];

    it.each(inputs)('round-trips %s', (_, input) => {
      expect(decodeLz4Frames(encodeLz4Frame(input)).equals(input)).toBe(true);
    });

    it('writes the descriptor the reference library writes for these settings, and compresses', () => {
      const frame = encodeLz4Frame(content(5_000));
      expect(frame.subarray(0, 7).toString('hex')).toBe('04224d18604082');
      expect(frame.length).toBeLessThan(content(5_000).length / 10);
    });

    it('stores a block that would not get smaller', () => {
      const input = noise(1_000);
      const frame = encodeLz4Frame(input);
      expect(frame.readUInt32LE(7)).toBe((0x8000_0000 | 1_000) >>> 0);
      expect(frame.length).toBe(7 + 4 + 1_000 + 4);
    });
  });

  describe('refusing damaged input with a reason', () => {
    const good = encodeLz4Frame(content(500));
    it.each<[string, Buffer, RegExp]>([
      ['a wrong magic number', Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]), /not an LZ4 frame/],
      ['a truncated frame', good.subarray(0, good.length - 10), /truncated|past the end/],
      [
        'a dictionary frame',
        Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x61, 0x40, 0, 0, 0, 0, 0]),
        /dictionary/,
      ],
      [
        'a match before the start of the data',
        Buffer.from([
          0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82, 4, 0, 0, 0, 0x10, 0x61, 0x05, 0x00, 0, 0, 0, 0,
        ]),
        /outside the decoded data/,
      ],
      [
        'a block larger than the frame allows',
        Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82, 0x01, 0x00, 0x01, 0x00]),
        /exceeds/,
      ],
    ])('%s', (_, input, reason) => {
      expect(() => decodeLz4Frames(input)).toThrow(Lz4FrameError);
      expect(() => decodeLz4Frames(input)).toThrow(reason);
    });
  });
});
