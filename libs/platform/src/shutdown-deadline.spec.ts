import { EventEmitter } from 'node:events';
import { armShutdownDeadline } from './shutdown-deadline';

describe('armShutdownDeadline', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function armed(): { signals: EventEmitter; exits: number[]; reports: string[] } {
    const signals = new EventEmitter();
    const exits: number[] = [];
    const reports: string[] = [];
    armShutdownDeadline({
      timeoutMs: 25_000,
      report: (message) => reports.push(message),
      signals,
      exit: (code) => exits.push(code),
    });
    return { signals, exits, reports };
  }

  it('exits with status 1, saying why, when a stop is still running at the deadline', () => {
    const { signals, exits, reports } = armed();
    signals.emit('SIGTERM');
    jest.advanceTimersByTime(24_999);
    expect(exits).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(exits).toEqual([1]);
    expect(reports).toEqual([
      expect.stringContaining('graceful shutdown after SIGTERM did not finish within 25000 ms'),
    ]);
  });

  it('does nothing without a stop signal', () => {
    const { exits } = armed();
    jest.advanceTimersByTime(60_000);
    expect(exits).toEqual([]);
  });

  it('does not hold the process open: a stop that finishes in time exits on its own', () => {
    jest.useRealTimers();
    const { signals } = armed();
    const timers = (): number =>
      process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = timers();
    signals.emit('SIGINT');
    // Unref'd timers are not active resources: the deadline alone never keeps the loop alive.
    expect(timers()).toBe(before);
  });
});
