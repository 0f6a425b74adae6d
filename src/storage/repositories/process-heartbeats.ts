/** The ProcessHeartbeat repository: one row per running web or worker process. */
import { query, rows } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type { NewProcess, ProcessRole, ProcessRow } from '../../services/operations/ports.js';

/**
 * A stopped row stays stopped: a beat that was already on its way when the process stopped
 * (its timer fired just before) must not bring the row back to life.
 */
export async function beat(ex: Executor, p: NewProcess, now: Date): Promise<void> {
  await query(
    ex,
    `INSERT INTO process_heartbeats (id, host, pid, roles, version, started_at, heartbeat_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at
      WHERE process_heartbeats.stopped_at IS NULL`,
    [p.id, p.host, p.pid, p.roles, p.version, p.startedAt, now],
  );
}

export async function markStopped(ex: Executor, id: string, now: Date): Promise<void> {
  await query(ex, `UPDATE process_heartbeats SET stopped_at = $2 WHERE id = $1`, [id, now]);
}

export async function prune(ex: Executor, before: Date): Promise<number> {
  const r = await query(ex, `DELETE FROM process_heartbeats WHERE heartbeat_at < $1`, [before]);
  return r.rowCount ?? 0;
}

export async function listProcesses(ex: Executor, since: Date): Promise<ProcessRow[]> {
  const found = await rows<{
    id: string;
    host: string;
    pid: number;
    roles: ProcessRole[];
    version: string;
    started_at: Date;
    heartbeat_at: Date;
    stopped_at: Date | null;
  }>(
    ex,
    `SELECT id, host, pid, roles, version, started_at, heartbeat_at, stopped_at
       FROM process_heartbeats WHERE heartbeat_at >= $1
      ORDER BY (stopped_at IS NULL) DESC, heartbeat_at DESC, started_at DESC`,
    [since],
  );
  return found.map((r) => ({
    id: r.id,
    host: r.host,
    pid: r.pid,
    roles: r.roles,
    version: r.version,
    startedAt: r.started_at,
    heartbeatAt: r.heartbeat_at,
    stoppedAt: r.stopped_at,
  }));
}
