export * from './event-journal.js';
export * from './live-event.js';
export * from './server-sent-event.js';
