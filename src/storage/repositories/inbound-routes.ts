/**
 * The InboundRoute repository (inbound_routes): the routes in evaluation order (priority, then
 * creation), and the one default row (is_default, unique).
 */
import { assignments, one, query, rows } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type { InboundRoute, RouteAction, RouteMatch } from '../../domain/inbound/route.js';
import type { InboundRoutePatch, NewInboundRoute } from '../../services/inbound/ports.js';

type Row = Record<string, unknown>;

function toRoute(r: Row): InboundRoute {
  return {
    id: r.id as string,
    name: r.name as string,
    priority: r.priority as number,
    match: r.match as RouteMatch,
    action: r.action as RouteAction,
    enabled: r.enabled as boolean,
    isDefault: r.is_default as boolean,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

export async function listRoutes(ex: Executor): Promise<InboundRoute[]> {
  const found = await rows<Row>(
    ex,
    `SELECT * FROM inbound_routes ORDER BY is_default, priority, created_at, id`,
  );
  return found.map(toRoute);
}

export async function getRoute(ex: Executor, id: string): Promise<InboundRoute | null> {
  const row = await one<Row>(ex, `SELECT * FROM inbound_routes WHERE id = $1`, [id]);
  return row ? toRoute(row) : null;
}

export async function insertRoute(
  ex: Executor,
  r: NewInboundRoute,
  now: Date,
): Promise<InboundRoute> {
  const row = await one<Row>(
    ex,
    `INSERT INTO inbound_routes (id, name, priority, match, action, enabled, is_default, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING *`,
    [
      r.id,
      r.name,
      r.priority,
      JSON.stringify(r.match),
      JSON.stringify(r.action),
      r.enabled,
      r.isDefault,
      now,
    ],
  );
  return toRoute(row!);
}

const PATCHABLE = ['name', 'priority', 'match', 'action', 'enabled'] as const;

export async function updateRoute(
  ex: Executor,
  id: string,
  p: InboundRoutePatch,
  now: Date,
): Promise<InboundRoute | null> {
  const values: unknown[] = [id, now];
  const json = {
    ...p,
    ...(p.match ? { match: JSON.stringify(p.match) } : {}),
    ...(p.action ? { action: JSON.stringify(p.action) } : {}),
  };
  const sets = assignments<typeof json>(PATCHABLE, json, values);
  const row = await one<Row>(
    ex,
    `UPDATE inbound_routes SET ${[...sets, 'updated_at = $2'].join(', ')}
      WHERE id = $1 AND NOT is_default RETURNING *`,
    values,
  );
  return row ? toRoute(row) : null;
}

export async function deleteRoute(ex: Executor, id: string): Promise<boolean> {
  const { rowCount } = await query(
    ex,
    `DELETE FROM inbound_routes WHERE id = $1 AND NOT is_default`,
    [id],
  );
  return (rowCount ?? 0) > 0;
}

export async function setDefaultRoute(
  ex: Executor,
  r: NewInboundRoute | null,
  now: Date,
): Promise<InboundRoute | null> {
  if (!r) {
    await query(ex, `DELETE FROM inbound_routes WHERE is_default`);
    return null;
  }
  const row = await one<Row>(
    ex,
    `INSERT INTO inbound_routes (id, name, priority, match, action, enabled, is_default, created_at, updated_at)
     VALUES ($1, $2, 2147483647, '{}', $3, true, true, $4, $4)
     ON CONFLICT (is_default) WHERE is_default
     DO UPDATE SET action = EXCLUDED.action, name = EXCLUDED.name, updated_at = EXCLUDED.updated_at
     RETURNING *`,
    [r.id, r.name, JSON.stringify(r.action), now],
  );
  return toRoute(row!);
}
