import 'reflect-metadata';
import { validateDto } from '../validation/validate-dto';
import { type SessionFeaturesMessage } from './session-features.message';
import { SessionFeaturesRecord } from './session-features.record';

const message: SessionFeaturesMessage = {
  userId: 'u1',
  window: {
    sessionId: 'u1:1',
    startedAt: 1,
    lastEventAt: 2,
    events: [{ itemId: 'i1', type: 'view', timestamp: 1 }],
    countsByType: { view: 1 },
    eventCount: 1,
    distinctItems: 1,
  },
  profile: {
    totalsByType: { view: 1 },
    totalEvents: 1,
    sessionCount: 1,
    topItems: [],
    topCategories: [],
  },
  lastEventId: 'e1',
  eventTime: 1,
  processedAt: 3,
};

describe('SessionFeaturesRecord', () => {
  it('accepts what the feature service publishes, including a user without a window', () => {
    expect(validateDto(SessionFeaturesRecord, message)).toHaveProperty('value');
    expect(validateDto(SessionFeaturesRecord, { ...message, window: null })).toHaveProperty(
      'value',
    );
  });

  it('names the field of a malformed window event', () => {
    const broken = {
      ...message,
      window: { ...message.window, events: [{ itemId: 'i 1', type: 'view', timestamp: -1 }] },
    };
    const result = validateDto(SessionFeaturesRecord, broken);
    expect('issues' in result && result.issues.map((issue) => issue.field)).toEqual([
      'window.events[0].itemId',
      'window.events[0].timestamp',
    ]);
  });

  it('refuses fields nobody declared', () => {
    const result = validateDto(SessionFeaturesRecord, { ...message, $where: 'x' });
    expect(result).toHaveProperty('issues');
  });
});
