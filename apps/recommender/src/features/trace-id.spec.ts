import { traceIdOf } from './trace-id';

describe('traceIdOf', () => {
  it('takes the trace the record carried', () => {
    expect(
      traceIdOf({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }),
    ).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('has none without a valid carried trace or an active span', () => {
    expect(traceIdOf(undefined)).toBeNull();
    expect(traceIdOf({ traceparent: 'garbage' })).toBeNull();
    expect(
      traceIdOf({ traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' }),
    ).toBeNull();
  });
});
