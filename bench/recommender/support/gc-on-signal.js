// Preload for benchmarks only (node --expose-gc --require <this file>): on SIGURG the process
// runs V8's most thorough collection, the one that also hands freed pages back to the system, so
// a memory benchmark can read the live floor of a process instead of waiting for V8's memory
// reducer, which runs only when the process looks idle, and then not always within a minute.
// SIGURG because Nest's shutdown hooks stop the app on SIGUSR2, and it is ignored by default.
'use strict';
if (typeof global.gc !== 'function') {
  throw new Error('gc-on-signal.js needs node --expose-gc');
}
process.on('SIGURG', () => {
  global.gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
});
