import { runInThisContext } from 'node:vm';

const TYPED_ARRAYS = ['Float32Array', 'BigInt64Array', 'Int32Array', 'Uint8Array'] as const;

/**
 * Jest runs specs in their own realm, while onnxruntime-node's native code creates output arrays
 * in Node's main realm, so onnxruntime-common's `instanceof Float32Array` checks fail inside
 * Jest. Specs call this before loading onnxruntime-node so both sides share one set of typed
 * array constructors. Outside Jest the constructors are already the same and nothing changes.
 */
export function useNodeRealmTypedArrays(): void {
  const realmGlobal = globalThis as unknown as Record<string, unknown>;
  for (const name of TYPED_ARRAYS) realmGlobal[name] = runInThisContext(name);
}
