export * from './topics';
export * from './events/event-type';
export * from './events/identifiers';
export * from './events/user-event.message';
