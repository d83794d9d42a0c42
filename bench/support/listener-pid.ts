import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * The local process listening on `port` (Linux /proc), or undefined when none is visible: how a
 * bench finds the broker and database processes behind KAFKA_BROKERS and MONGODB_URI to report
 * their CPU, without trusting pid files of whichever infra happens to be running.
 */
export function listenerPid(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      // State 0A is LISTEN; the local address ends with the port in hex.
      if (local === undefined || fields[3] !== '0A') continue;
      if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port && fields[9]) {
        inodes.add(fields[9]);
      }
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`));
        if (match?.[1] !== undefined && inodes.has(match[1])) return Number(entry);
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

/** The port of the first address in a `host:port[,host:port]` list or a URL. */
export function firstPort(addresses: string): number | undefined {
  const first = addresses.split(',')[0] ?? '';
  const port = first.includes('://')
    ? new URL(first).port
    : first.slice(first.lastIndexOf(':') + 1);
  return port === '' ? undefined : Number(port);
}
