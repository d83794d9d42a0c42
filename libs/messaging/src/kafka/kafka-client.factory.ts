import { Logger } from '@nestjs/common';
import { type KafkaConfig } from '@kairos/config';
import net from 'node:net';
import tls from 'node:tls';
import { type ISocketFactory, Kafka, type LogEntry, logLevel } from 'kafkajs';
import { fixKafkajsIdleTimerLoop } from './kafkajs-idle-timer.fix';

/**
 * One place that turns our config into a kafkajs client, routing its logs through Nest's
 * logger so they share format and level with the rest of the app.
 */
export function createKafka(config: KafkaConfig, role: string): Kafka {
  // Before any connection exists: every connection's request queue gets the fixed scheduler.
  fixKafkajsIdleTimerLoop();
  const logger = new Logger(`kafkajs:${role}`);
  return new Kafka({
    clientId: `${config.clientId}-${role}`,
    brokers: [...config.brokers],
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
    socketFactory: noDelaySocketFactory,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        const line = `${message} ${JSON.stringify(extra)}`;
        const effective = effectiveLevel(level, extra.error);
        if (effective === logLevel.ERROR) logger.error(line);
        else if (effective === logLevel.WARN) logger.warn(line);
        else logger.debug(line);
      },
  });
}

/**
 * Broker answers kafkajs retries on its own (leadership moves, topics being created, group
 * rebalances). kafkajs logs each at ERROR, which drowns real errors during every broker
 * restart or topic creation; they are warnings until the retries run out (kafkajs then logs
 * the final failure separately, still at ERROR).
 */
const RETRIABLE_BROKER_ERRORS = new Set([
  'This server is not the leader for that topic-partition',
  'There is no leader for this topic-partition as we are in the middle of a leadership election',
  'This server does not host this topic-partition',
  'The group is rebalancing, so a rejoin is needed',
  'This is not the correct coordinator for this group',
  "The coordinator is loading and hence can't process requests",
  'The coordinator is not available',
]);

export function effectiveLevel(level: logLevel, error: unknown): logLevel {
  return level === logLevel.ERROR && typeof error === 'string' && RETRIABLE_BROKER_ERRORS.has(error)
    ? logLevel.WARN
    : level;
}

/**
 * kafkajs's default sockets keep Nagle's algorithm on; with small produce requests and the
 * peer's delayed ACKs that adds up to 40 ms to an acknowledgement. Same as the default factory
 * otherwise (keep-alive, TLS with SNI).
 */
const noDelaySocketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl
    ? tls.connect(
        { host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl },
        onConnect,
      )
    : net.connect({ host, port }, onConnect);
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 60_000);
  return socket;
};
