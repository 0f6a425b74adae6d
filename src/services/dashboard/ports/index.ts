/** The dashboard's ports: sign-in (admins.ts) and the pages' read models (read-models.ts). */
export type * from './admins.js';
export type * from './read-models.js';
