/**
 * A Feature is one capability (outbound, inbound, checkins, dashboard) as seen by the
 * composition root: the queues it works, the schedules it fires and the routes it serves.
 * Each feature has one factory in main/features/<name>.ts; main/container.ts calls them in
 * dependency order and hands later features the services of earlier ones.
 */
import type { Express } from 'express';
import type { Config } from '../config/index.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { QueueSpec, ScheduleSpec } from '../jobs/registry.js';
import type { Database, JobQueue, QueueName } from '../services/ports.js';
import type { Telemetry } from '../services/telemetry.js';

export interface FeatureContext {
  config: Readonly<Config>;
  db: Database;
  /**
   * The send worker's commits: sessions that keep one plan per statement (storage/db.ts,
   * createGenericPlanPool). Absent (tools, harnesses that send nothing): they share `db`.
   */
  commitDb?: Database;
  queue: JobQueue;
  log: Logger;
  clock: Clock;
  /** Resolved SECRET_KEY (generated and kept in the data dir for the embedded default). */
  secretKey: string;
  /** Where services report metrics (main/metrics/); absent: nothing is counted. */
  telemetry?: Telemetry;
}

/** What a process runs as: `postroom start` is both, a CLI command neither. */
export interface ProcessRoles {
  web: boolean;
  worker: boolean;
}

export interface Feature {
  name: string;
  queues?: QueueSpec<QueueName>[];
  schedules?: ScheduleSpec[];
  /** Adds routes to the app; runs before the 404 and error handlers. */
  mount?: (app: Express) => void;
  /** Called once the queue is up, in a process that serves (web or worker), not in CLI commands. */
  start?: (roles: ProcessRoles) => Promise<void>;
  /** Called on shutdown after HTTP stops and before the queue stops (close SMTP pools, …). */
  close?: () => Promise<void>;
}
