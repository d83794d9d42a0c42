import { isSafeSegment } from './safe-names';

describe('isSafeSegment', () => {
  it.each(['kairos-default', '2026-05-01.1', 'model.onnx', 'v_2', 'A'.repeat(128)])(
    'accepts %s',
    (name) => {
      expect(isSafeSegment(name)).toBe(true);
    },
  );

  it.each([
    '',
    '.',
    '..',
    '../x',
    'a/b',
    'a\\b',
    '/etc',
    'C:',
    'name with space',
    'é',
    'a\0b',
    'A'.repeat(129),
  ])('refuses %j', (name) => {
    expect(isSafeSegment(name)).toBe(false);
  });
});
