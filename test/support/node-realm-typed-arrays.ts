/**
 * A jest `setupFiles` entry for every project (jest.config.js), so any spec may run
 * onnxruntime-node. Jest runs specs in their own realm, but
 * onnxruntime-node's native code creates output arrays in Node's main realm, and
 * onnxruntime-common captures the typed-array constructors when it loads: its `instanceof`
 * checks then fail on every inference result. Pointing this realm's constructors at the main
 * realm's before onnxruntime loads makes both sides agree. Outside Jest this changes nothing.
 */
import { runInThisContext } from 'node:vm';

const realmGlobal = globalThis as unknown as Record<string, unknown>;
for (const name of ['Float32Array', 'Float64Array', 'BigInt64Array', 'Int32Array', 'Uint8Array']) {
  realmGlobal[name] = runInThisContext(name);
}
