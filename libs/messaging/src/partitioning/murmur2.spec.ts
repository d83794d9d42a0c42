import { murmur2, partitionForKey } from './murmur2';

describe('murmur2', () => {
  // Reference values from Apache Kafka's UtilsTest.testMurmur2 (the Java implementation).
  const javaVectors: ReadonlyArray<readonly [string, number]> = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ];

  it.each(javaVectors)('hashes %j like the Java client', (input, expected) => {
    expect(murmur2(Buffer.from(input, 'utf8'))).toBe(expected);
  });

  it('maps a key to a partition in range, stably', () => {
    for (const key of ['u1', 'user-42', 'ü@example.com', '']) {
      const partition = partitionForKey(key, 12);
      expect(partition).toBeGreaterThanOrEqual(0);
      expect(partition).toBeLessThan(12);
      expect(partitionForKey(key, 12)).toBe(partition);
    }
  });

  it('uses the positive part of the hash, not Math.abs', () => {
    // -790332482 & 0x7fffffff = 1357151166; Math.abs would give 790332482 (a different partition).
    expect(partitionForKey('foobar', 1000)).toBe(1357151166 % 1000);
  });
});
