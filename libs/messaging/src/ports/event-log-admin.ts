import { type ReadinessCheck } from '@kairos/health';
import { type TopicName } from '@kairos/contracts';

/** Port: topic setup and consumer-lag figures of the event log, whichever adapter runs. */
export abstract class EventLogAdmin {
  /** Creates missing topics (idempotent); every app calls it at boot. */
  abstract ensureTopics(): Promise<unknown>;
  /** Lag per partition of a consumer group (logical names): end minus committed offset. */
  abstract lag(groupId: string, topic: TopicName): Promise<Map<number, number>>;
}

/** Port token for the event log's readiness check (`kafka` or `event-log`). */
export abstract class EventLogReadiness implements ReadinessCheck {
  abstract readonly name: string;
  abstract check(): Promise<void>;
}
