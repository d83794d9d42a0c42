import { type KairosConfig } from '@kairos/config';

/** What a newcomer needs after `npm start`: where things are and a first request to send. */
export function startupBanner(config: KairosConfig): string {
  const base = `http://localhost:${config.port}`;
  const auth = config.http.authEnabled ? ` -H 'authorization: Bearer <your key>'` : '';
  const where =
    config.mode === 'embedded'
      ? `embedded mode, data in ${config.embedded.dataDir}`
      : 'distributed mode, Kafka and MongoDB';
  return [
    '',
    `  Kairos is running (${where})`,
    '',
    `    Demo page   ${base}/`,
    `    API         ${base}/v1`,
    `    API docs    ${base}/docs`,
    `    Health      ${base}/health/ready   Metrics ${base}/metrics`,
    '',
    '  Send a first event:',
    `    curl -X POST ${base}/v1/events -H 'content-type: application/json'${auth} \\`,
    `      -d '{"userId":"user-1","itemId":"item-00001","type":"click"}'`,
    '  Then read the recommendations:',
    `    curl${auth} ${base}/v1/recommendations/user-1`,
    '',
  ].join('\n');
}
