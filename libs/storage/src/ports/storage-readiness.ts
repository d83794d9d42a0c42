import { type ReadinessCheck } from '@kairos/health';

/** Port token for the state store's readiness check (`mongodb` or `state-store`). */
export abstract class StorageReadiness implements ReadinessCheck {
  abstract readonly name: string;
  abstract check(): Promise<void>;
}
