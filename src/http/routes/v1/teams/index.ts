/**
 * The check-in /v1 API: teams, members (with bulk invite), holidays, member vacations, entries,
 * prompts and stats. API-key auth (read for GET, admin for writes), zod at the edge, every
 * route registered in the OpenAPI document with the schema it validates with. Each route is a
 * named handler below; the table at the end documents and mounts them in one place.
 */
import { jsonBody } from '../../../middleware/json-body.js';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AdminService } from '../../../../services/checkins/admin.js';
import {
  bulkMembersInput,
  entriesQuery,
  entryPatch,
  holidayInput,
  listQuery,
  memberInput,
  memberPatch,
  promptsQuery,
  statsQuery,
  teamInput,
  teamPatch,
  vacationInput,
} from '../../../../services/checkins/schemas.js';
import { BadRequestError } from '../../../../lib/errors.js';
import { isUuid } from '../../../../lib/ids.js';
import type { RequireScope } from '../../../middleware/api-key-auth.js';
import type { OpenApiRegistry, RouteDoc } from '../../../openapi/registry.js';
import { parseOr422 } from '../validate.js';

function param(req: Request, name: string): string {
  const v = req.params[name];
  const s = Array.isArray(v) ? v[0] : v;
  if (!s || !isUuid(s)) throw new BadRequestError('invalid_id', `${name} must be a UUID`);
  return s;
}

const entryOut = z.object({
  id: z.string(),
  member_id: z.string(),
  local_date: z.string(),
  kind: z.enum(['done', 'goal', 'blocker']),
  text: z.string(),
  tags: z.array(z.string()),
  mentions: z.array(z.string()),
  completed: z.boolean().optional(),
});
const any = z.record(z.string(), z.unknown());
const deleted = { response: { 204: { description: 'Deleted' } } };

type Handler = (admin: AdminService, req: Request, res: Response) => Promise<void>;

// ---------------------------------------------------------------- teams

const createTeam: Handler = async (admin, req, res) => {
  res.status(201).json(await admin.createTeam(parseOr422(teamInput, req.body, 'team')));
};
const listTeams: Handler = async (admin, req, res) => {
  const q = parseOr422(listQuery, req.query, 'query');
  res.json(await admin.listTeams(q.limit, q.cursor ?? null));
};
const getTeam: Handler = async (admin, req, res) => {
  res.json(await admin.getTeam(param(req, 'id')));
};
const updateTeam: Handler = async (admin, req, res) => {
  res.json(await admin.updateTeam(param(req, 'id'), parseOr422(teamPatch, req.body, 'team')));
};
const deleteTeam: Handler = async (admin, req, res) => {
  await admin.deleteTeam(param(req, 'id'));
  res.status(204).end();
};

// ---------------------------------------------------------------- members

const addMember: Handler = async (admin, req, res) => {
  const input = parseOr422(memberInput, req.body, 'member');
  res.status(201).json(await admin.addMember(param(req, 'id'), input));
};
const inviteMembers: Handler = async (admin, req, res) => {
  const body = parseOr422(bulkMembersInput, req.body, 'members');
  res.status(201).json(await admin.inviteMembers(param(req, 'id'), body.members));
};
const listMembers: Handler = async (admin, req, res) => {
  res.json({ data: await admin.listMembers(param(req, 'id')) });
};
const getMember: Handler = async (admin, req, res) => {
  res.json(await admin.getMember(param(req, 'id'), param(req, 'member_id')));
};
const updateMember: Handler = async (admin, req, res) => {
  const patch = parseOr422(memberPatch, req.body, 'member');
  res.json(await admin.updateMember(param(req, 'id'), param(req, 'member_id'), patch));
};
const deleteMember: Handler = async (admin, req, res) => {
  await admin.deleteMember(param(req, 'id'), param(req, 'member_id'));
  res.status(204).end();
};

// ---------------------------------------------------------------- days off

const listHolidays: Handler = async (admin, req, res) => {
  res.json({ data: await admin.listHolidays(param(req, 'id')) });
};
const addHoliday: Handler = async (admin, req, res) => {
  const input = parseOr422(holidayInput, req.body, 'holiday');
  res.status(201).json(await admin.addHoliday(param(req, 'id'), input));
};
const deleteHoliday: Handler = async (admin, req, res) => {
  await admin.deleteHoliday(param(req, 'id'), param(req, 'holiday_id'));
  res.status(204).end();
};
const listVacations: Handler = async (admin, req, res) => {
  res.json({ data: await admin.listVacations(param(req, 'id')) });
};
const addVacation: Handler = async (admin, req, res) => {
  const input = parseOr422(vacationInput, req.body, 'vacation');
  res.status(201).json(await admin.addVacation(param(req, 'id'), input));
};
const deleteVacation: Handler = async (admin, req, res) => {
  await admin.deleteVacation(param(req, 'id'), param(req, 'vacation_id'));
  res.status(204).end();
};

// ---------------------------------------------------------------- entries, prompts, stats

const listEntries: Handler = async (admin, req, res) => {
  const q = parseOr422(entriesQuery, req.query, 'query');
  res.json({ data: await admin.listEntries(param(req, 'id'), q) });
};
const updateEntry: Handler = async (admin, req, res) => {
  res.json(await admin.updateEntry(param(req, 'id'), parseOr422(entryPatch, req.body, 'entry')));
};
const deleteEntry: Handler = async (admin, req, res) => {
  await admin.deleteEntry(param(req, 'id'));
  res.status(204).end();
};
const listPrompts: Handler = async (admin, req, res) => {
  const q = parseOr422(promptsQuery, req.query, 'query');
  res.json({ data: await admin.listPrompts(param(req, 'id'), q.date) });
};
const stats: Handler = async (admin, req, res) => {
  const q = parseOr422(statsQuery, req.query, 'query');
  res.json(await admin.stats(param(req, 'id'), q));
};

// ---------------------------------------------------------------- the route table

type Method = 'get' | 'post' | 'patch' | 'delete';
type Route = [Method, string, string, Handler, Pick<RouteDoc, 'request' | 'response'>?];

/** method, path, summary (the OpenAPI document), handler, request and response schemas. */
const ROUTES: Route[] = [
  [
    'post',
    '/v1/teams',
    'Create a team.',
    createTeam,
    { request: { body: teamInput }, response: { 201: any } },
  ],
  ['get', '/v1/teams', 'List teams (keyset by id).', listTeams, { request: { query: listQuery } }],
  ['get', '/v1/teams/:id', 'Get a team.', getTeam],
  ['patch', '/v1/teams/:id', 'Update a team.', updateTeam, { request: { body: teamPatch } }],
  [
    'delete',
    '/v1/teams/:id',
    'Delete a team with its members, prompts, entries and digests.',
    deleteTeam,
    deleted,
  ],
  [
    'post',
    '/v1/teams/:id/members',
    'Add a member (role member, observer or admin).',
    addMember,
    { request: { body: memberInput }, response: { 201: any } },
  ],
  [
    'post',
    '/v1/teams/:id/members/bulk',
    'Invite up to 1,000 members; addresses already in the team are listed in `existing`.',
    inviteMembers,
    { request: { body: bulkMembersInput } },
  ],
  ['get', '/v1/teams/:id/members', 'List members.', listMembers],
  ['get', '/v1/teams/:id/members/:member_id', 'Get a member.', getMember],
  [
    'patch',
    '/v1/teams/:id/members/:member_id',
    'Update a member (pause with status paused and pause_until).',
    updateMember,
    { request: { body: memberPatch } },
  ],
  ['delete', '/v1/teams/:id/members/:member_id', 'Remove a member.', deleteMember, deleted],
  ['get', '/v1/teams/:id/holidays', 'List team holidays.', listHolidays],
  [
    'post',
    '/v1/teams/:id/holidays',
    'Add a holiday (yearly: repeats on the same month and day).',
    addHoliday,
    { request: { body: holidayInput } },
  ],
  ['delete', '/v1/teams/:id/holidays/:holiday_id', 'Delete a holiday.', deleteHoliday, deleted],
  ['get', '/v1/members/:id/vacations', "List a member's vacations.", listVacations],
  [
    'post',
    '/v1/members/:id/vacations',
    'Add a vacation (inclusive dates).',
    addVacation,
    { request: { body: vacationInput } },
  ],
  [
    'delete',
    '/v1/members/:id/vacations/:vacation_id',
    'Delete a vacation.',
    deleteVacation,
    deleted,
  ],
  [
    'get',
    '/v1/teams/:id/entries',
    'Entries by local date range and member.',
    listEntries,
    { request: { query: entriesQuery }, response: { 200: z.object({ data: z.array(entryOut) }) } },
  ],
  [
    'patch',
    '/v1/entries/:id',
    'Edit an entry.',
    updateEntry,
    { request: { body: entryPatch }, response: { 200: entryOut } },
  ],
  ['delete', '/v1/entries/:id', 'Delete an entry.', deleteEntry, deleted],
  [
    'get',
    '/v1/teams/:id/prompts',
    "A local date's prompts with their status.",
    listPrompts,
    { request: { query: promptsQuery } },
  ],
  [
    'get',
    '/v1/teams/:id/stats',
    'Completion rate per member and team, and streaks (default: the last 30 days).',
    stats,
    { request: { query: statsQuery } },
  ],
];

export function checkinsRouter(
  admin: AdminService,
  requireScope: RequireScope,
  api: OpenApiRegistry,
): Router {
  const r = Router();
  const json = jsonBody('1mb');
  for (const [method, path, summary, handle, doc] of ROUTES) {
    const scope = method === 'get' ? 'read' : 'admin';
    api.registerRoute({ method, path, summary, scope, tags: ['checkins'], ...doc });
    const body = method === 'post' || method === 'patch' ? [json] : [];
    r[method](path, requireScope(scope), ...body, (req, res) => handle(admin, req, res));
  }
  return r;
}
