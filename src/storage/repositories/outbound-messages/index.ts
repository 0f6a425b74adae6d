/**
 * The OutboundMessage repository: one module per family of operations on outbound_messages and
 * the tables that hang off it (message_events, outbound_message_raw, message_batches, recipient_deliveries). Every
 * status change goes through `applyTransition`, a conditional UPDATE driven by outboundMachine.
 */
export { insertMessages } from './insert.js';
export { getMessage, getMessages, listMessages, findByRef } from './reads.js';
export { getEvents, addEvent, getRaw, pruneRaw, pruneEvents } from './events.js';
export { applyTransition } from './transitions.js';
export { recordOutcomes } from './outcomes.js';
export { claimMessages, findDue } from './claim.js';
export { applyRecipientTransitions, getDeliveries } from './recipients.js';
export { insertBatch, batchExists } from './batches.js';
export { findBodies, findThreadById, findThreadByMessageIds, recordReply } from './threads.js';
