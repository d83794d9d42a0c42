import { type LoggerService, type LogLevel } from '@nestjs/common';
import { loggingTrace } from '@kairos/http';
import { activeTraceIds } from '@kairos/telemetry';

type Write = (line: string) => void;

/**
 * LOG_FORMAT=json: one JSON object per line, with `trace_id` and `span_id` of the span the line
 * was written in (or of the request `logInTrace` names), so a log pipeline can join logs to
 * traces (and the hops of one event to each other). Nest passes `(message, ...params, context)`
 * and, for errors, a stack before the context.
 */
export class JsonLogger implements LoggerService {
  private enabled: ReadonlySet<LogLevel>;

  constructor(
    private readonly app: string,
    levels: readonly LogLevel[],
    private readonly write: Write = (line) => process.stdout.write(line),
  ) {
    this.enabled = new Set(levels);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.enabled = new Set(levels);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.emit('log', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.emit('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.emit('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.emit('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.emit('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.emit('fatal', message, params);
  }

  private emit(level: LogLevel, message: unknown, params: readonly unknown[]): void {
    if (!this.enabled.has(level)) return;
    const rest = [...params];
    const context = rest.length > 0 && typeof rest.at(-1) === 'string' ? rest.pop() : undefined;
    const stack =
      (level === 'error' || level === 'fatal') && typeof rest[0] === 'string'
        ? rest.shift()
        : message instanceof Error
          ? message.stack
          : undefined;
    const ids = loggingTrace() ?? activeTraceIds();
    const line = {
      time: new Date().toISOString(),
      level: level === 'log' ? 'info' : level,
      app: this.app,
      ...(context === undefined ? {} : { context }),
      message: message instanceof Error ? message.message : message,
      ...(ids === null ? {} : { trace_id: ids.traceId, span_id: ids.spanId }),
      ...(stack === undefined ? {} : { stack }),
      ...(rest.length === 0 ? {} : { details: rest }),
    };
    this.write(`${JSON.stringify(line)}\n`);
  }
}
