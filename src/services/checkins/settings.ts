/** The check-in settings the services receive (main/ maps config/checkins.ts onto this). */
import type { QuietHours } from '../../domain/schedule/slots.js';

export interface CheckinsSettings {
  /** Prompts due within this many hours before a tick are still sent after an outage. */
  catchUpHours: number;
  /** How far back a tick looks for missed_by_outage after a long outage. */
  maxLookbackHours: number;
  /** Member-local hours in which no reminder is sent (null: none). */
  quietHours: QuietHours | null;
  defaultQuestion: string;
  /** From address for check-in mail; undefined lets the outbound engine use its default. */
  from: string | undefined;
  /** `reply+<token>@inboundDomain`. */
  inboundDomain: string;
  publicUrl: string;
  /** Secret for reply tokens (must match the inbound engine's) and preference links. */
  secret: string;
  replyTokenDays: number;
  /** Prompts (or digest recipients) per fan-out job. */
  batchSize: number;
}
