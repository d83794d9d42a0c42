// Integration and e2e tests talk to real brokers and databases; their waits are bounded by
// explicit polling deadlines inside the tests, this is only the outer safety net.
jest.setTimeout(90_000);
