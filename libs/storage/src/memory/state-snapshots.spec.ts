import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KairosConfig, loadConfig } from '@kairos/config';
import { type SnapshotParticipant, StateSnapshots } from './state-snapshots';
import { vectorFromBase64, vectorToBase64 } from './vector-codec';

class Counter implements SnapshotParticipant {
  value = 0;
  constructor(readonly snapshotKey: string) {}
  dump(): unknown {
    return { value: this.value };
  }
  restore(data: unknown): void {
    this.value = (data as { value: number }).value;
  }
}

describe('StateSnapshots', () => {
  let dir: string;
  let config: KairosConfig;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kairos-snapshots-'));
    config = loadConfig('embedded', { KAIROS_DATA_DIR: dir });
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('restores every store and the checkpoint captured at the same instant', () => {
    const first = new StateSnapshots(config);
    expect(first.loaded).toBeNull();
    const a = new Counter('a');
    const b = new Counter('b');
    first.register(a);
    first.register(b);
    a.value = 3;
    b.value = 5;
    first.write(first.capture({ offsets: { feature: { events: { '0': 7 } } } }, 1_234));

    const second = new StateSnapshots(config);
    const restored = new Counter('a');
    second.register(restored);
    expect(restored.value).toBe(3);
    expect(second.loaded).toMatchObject({
      takenAt: 1_234,
      checkpoint: { offsets: { feature: { events: { '0': 7 } } } },
    });
  });

  it('replaces the file atomically: a leftover temporary file from a crash is not read', () => {
    const snapshots = new StateSnapshots(config);
    const counter = new Counter('a');
    snapshots.register(counter);
    counter.value = 1;
    snapshots.write(snapshots.capture(null, 1));
    // A crash while writing the next snapshot leaves a partial temporary file behind.
    writeFileSync(join(dir, 'state', 'snapshot.json.tmp'), '{"format":1,"stor');
    const reopened = new StateSnapshots(config);
    const restored = new Counter('a');
    reopened.register(restored);
    expect(restored.value).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'state', 'snapshot.json'), 'utf8'))).toMatchObject({
      stores: { a: { value: 1 } },
    });
    expect(existsSync(join(dir, 'state', 'snapshot.json'))).toBe(true);
  });

  it('refuses two stores under one key', () => {
    const snapshots = new StateSnapshots(config);
    snapshots.register(new Counter('a'));
    expect(() => snapshots.register(new Counter('a'))).toThrow(/share the snapshot key a/);
  });

  it('encodes float32 vectors exactly', () => {
    const vector = Float32Array.from([0.1, -3.5, 1e-7, 123456.789]);
    expect(Array.from(vectorFromBase64(vectorToBase64(vector)))).toEqual(Array.from(vector));
    const view = new Float32Array(Float32Array.from([9, 1, 2]).buffer, 4, 2);
    expect(Array.from(vectorFromBase64(vectorToBase64(view)))).toEqual([1, 2]);
  });
});
