import { ProgressBar } from './progress-bar';

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (text: string) => writes.push(text) > 0 } };
}

describe('ProgressBar', () => {
  it('prints plain lines at 10% steps when not a TTY, once at the end', () => {
    const { writes, stream } = recorder(false);
    const bar = new ProgressBar('train', stream, () => 0);
    for (let done = 0; done <= 100; done++) bar.update(done, 100);
    bar.update(100, 100);
    expect(writes).toHaveLength(11);
    expect(writes.every((line) => line.startsWith('train: ') && line.endsWith('\n'))).toBe(true);
    expect(writes.at(-1)).toContain('100% 100/100');
  });

  it('redraws one line in place on a TTY, throttled by the clock', () => {
    const { writes, stream } = recorder(true);
    let clock = 0;
    const bar = new ProgressBar('gen', stream, () => clock);
    bar.update(1, 4);
    bar.update(2, 4); // same instant: skipped
    clock = 1_000;
    bar.update(4, 4);
    bar.finish();
    expect(writes).toEqual([
      expect.stringMatching(/^\rgen \[#{8}\.{22}\] {2}25% 1\/4/),
      expect.stringMatching(/^\rgen \[#{30}\]\s100% 4\/4 1\.0s/),
      '\n',
    ]);
  });
});
