import { issuedPrefixes } from './infra';
import { deleteTestTopics } from './topic-cleanup';

// Integration and e2e tests talk to real brokers and databases; their waits are bounded by
// explicit polling deadlines inside the tests, this is only the outer safety net.
jest.setTimeout(90_000);

// Runs after every describe block of the file has stopped its apps and clients.
afterAll(() => deleteTestTopics(issuedPrefixes), 60_000);
