import { compareVersions } from './version-order';

const version = (name: string, versionName: string, created: string | null) => ({
  name,
  version: versionName,
  created,
});

describe('compareVersions', () => {
  it('orders by created first', () => {
    expect(
      compareVersions(
        version('m', '1', '2026-05-02T00:00:00Z'),
        version('m', '9', '2026-05-01T00:00:00Z'),
      ),
    ).toBe(1);
  });

  it('then by version in natural order', () => {
    const created = '2026-05-01T00:00:00Z';
    expect(
      compareVersions(version('m', '10', created), version('m', '9', created)),
    ).toBeGreaterThan(0);
    expect(
      compareVersions(
        version('m', '2026-05-01.2', created),
        version('m', '2026-05-01.10', created),
      ),
    ).toBeLessThan(0);
    expect(compareVersions(version('m', '3', created), version('m', '3', created))).toBe(0);
  });

  it('puts versions without a readable created date last', () => {
    expect(
      compareVersions(version('m', '9', null), version('m', '1', '2020-01-01T00:00:00Z')),
    ).toBe(-1);
    expect(compareVersions(version('m', '2', null), version('m', '1', null))).toBeGreaterThan(0);
  });
});
