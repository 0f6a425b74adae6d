/**
 * The check-in /v1 API: teams, members (with bulk invite), holidays, member vacations, entries,
 * prompts and stats. API-key auth (read for GET, admin for writes), zod at the edge, every
 * route registered in the OpenAPI document with the schema it validates with.
 */
import { jsonBody } from '../../../middleware/json-body.js';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AdminService } from '../../../../services/checkins/admin-service.js';
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
import type { OpenApiRegistry } from '../../../openapi/registry.js';
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
const TAGS = ['checkins'];

export function checkinsRouter(
  admin: AdminService,
  requireScope: RequireScope,
  api: OpenApiRegistry,
): Router {
  const r = Router();
  const json = jsonBody('1mb');
  const doc = (
    method: 'get' | 'post' | 'patch' | 'delete',
    path: string,
    summary: string,
    extra: Partial<Parameters<OpenApiRegistry['registerRoute']>[0]> = {},
  ) =>
    api.registerRoute({
      method,
      path,
      summary,
      scope: method === 'get' ? 'read' : 'admin',
      tags: TAGS,
      ...extra,
    });

  doc('post', '/v1/teams', 'Create a team.', {
    request: { body: teamInput },
    response: { 201: any },
  });
  r.post('/v1/teams', requireScope('admin'), json, async (req, res) => {
    res.status(201).json(await admin.createTeam(parseOr422(teamInput, req.body, 'team')));
  });
  doc('get', '/v1/teams', 'List teams (keyset by id).', { request: { query: listQuery } });
  r.get('/v1/teams', requireScope('read'), async (req, res) => {
    const q = parseOr422(listQuery, req.query, 'query');
    res.json(await admin.listTeams(q.limit, q.cursor ?? null));
  });
  doc('get', '/v1/teams/:id', 'Get a team.');
  r.get('/v1/teams/:id', requireScope('read'), async (req, res) => {
    res.json(await admin.getTeam(param(req, 'id')));
  });
  doc('patch', '/v1/teams/:id', 'Update a team.', { request: { body: teamPatch } });
  r.patch('/v1/teams/:id', requireScope('admin'), json, async (req, res) => {
    res.json(await admin.updateTeam(param(req, 'id'), parseOr422(teamPatch, req.body, 'team')));
  });
  doc('delete', '/v1/teams/:id', 'Delete a team with its members, prompts, entries and digests.', {
    response: { 204: { description: 'Deleted' } },
  });
  r.delete('/v1/teams/:id', requireScope('admin'), async (req, res) => {
    await admin.deleteTeam(param(req, 'id'));
    res.status(204).end();
  });

  doc('post', '/v1/teams/:id/members', 'Add a member (role member, observer or admin).', {
    request: { body: memberInput },
    response: { 201: any },
  });
  r.post('/v1/teams/:id/members', requireScope('admin'), json, async (req, res) => {
    res
      .status(201)
      .json(await admin.addMember(param(req, 'id'), parseOr422(memberInput, req.body, 'member')));
  });
  doc(
    'post',
    '/v1/teams/:id/members/bulk',
    'Invite up to 1,000 members; addresses already in the team are listed in `existing`.',
    {
      request: { body: bulkMembersInput },
    },
  );
  r.post('/v1/teams/:id/members/bulk', requireScope('admin'), json, async (req, res) => {
    const body = parseOr422(bulkMembersInput, req.body, 'members');
    res.status(201).json(await admin.inviteMembers(param(req, 'id'), body.members));
  });
  doc('get', '/v1/teams/:id/members', 'List members.');
  r.get('/v1/teams/:id/members', requireScope('read'), async (req, res) => {
    res.json({ data: await admin.listMembers(param(req, 'id')) });
  });
  doc('get', '/v1/teams/:id/members/:member_id', 'Get a member.');
  r.get('/v1/teams/:id/members/:member_id', requireScope('read'), async (req, res) => {
    res.json(await admin.getMember(param(req, 'id'), param(req, 'member_id')));
  });
  doc(
    'patch',
    '/v1/teams/:id/members/:member_id',
    'Update a member (pause with status paused and pause_until).',
    { request: { body: memberPatch } },
  );
  r.patch('/v1/teams/:id/members/:member_id', requireScope('admin'), json, async (req, res) => {
    res.json(
      await admin.updateMember(
        param(req, 'id'),
        param(req, 'member_id'),
        parseOr422(memberPatch, req.body, 'member'),
      ),
    );
  });
  doc('delete', '/v1/teams/:id/members/:member_id', 'Remove a member.', {
    response: { 204: { description: 'Deleted' } },
  });
  r.delete('/v1/teams/:id/members/:member_id', requireScope('admin'), async (req, res) => {
    await admin.deleteMember(param(req, 'id'), param(req, 'member_id'));
    res.status(204).end();
  });

  doc('get', '/v1/teams/:id/holidays', 'List team holidays.');
  r.get('/v1/teams/:id/holidays', requireScope('read'), async (req, res) => {
    res.json({ data: await admin.listHolidays(param(req, 'id')) });
  });
  doc(
    'post',
    '/v1/teams/:id/holidays',
    'Add a holiday (yearly: repeats on the same month and day).',
    { request: { body: holidayInput } },
  );
  r.post('/v1/teams/:id/holidays', requireScope('admin'), json, async (req, res) => {
    res
      .status(201)
      .json(
        await admin.addHoliday(param(req, 'id'), parseOr422(holidayInput, req.body, 'holiday')),
      );
  });
  doc('delete', '/v1/teams/:id/holidays/:holiday_id', 'Delete a holiday.', {
    response: { 204: { description: 'Deleted' } },
  });
  r.delete('/v1/teams/:id/holidays/:holiday_id', requireScope('admin'), async (req, res) => {
    await admin.deleteHoliday(param(req, 'id'), param(req, 'holiday_id'));
    res.status(204).end();
  });

  doc('get', '/v1/members/:id/vacations', "List a member's vacations.");
  r.get('/v1/members/:id/vacations', requireScope('read'), async (req, res) => {
    res.json({ data: await admin.listVacations(param(req, 'id')) });
  });
  doc('post', '/v1/members/:id/vacations', 'Add a vacation (inclusive dates).', {
    request: { body: vacationInput },
  });
  r.post('/v1/members/:id/vacations', requireScope('admin'), json, async (req, res) => {
    res
      .status(201)
      .json(
        await admin.addVacation(param(req, 'id'), parseOr422(vacationInput, req.body, 'vacation')),
      );
  });
  doc('delete', '/v1/members/:id/vacations/:vacation_id', 'Delete a vacation.', {
    response: { 204: { description: 'Deleted' } },
  });
  r.delete('/v1/members/:id/vacations/:vacation_id', requireScope('admin'), async (req, res) => {
    await admin.deleteVacation(param(req, 'id'), param(req, 'vacation_id'));
    res.status(204).end();
  });

  doc('get', '/v1/teams/:id/entries', 'Entries by local date range and member.', {
    request: { query: entriesQuery },
    response: { 200: z.object({ data: z.array(entryOut) }) },
  });
  r.get('/v1/teams/:id/entries', requireScope('read'), async (req, res) => {
    const q = parseOr422(entriesQuery, req.query, 'query');
    res.json({ data: await admin.listEntries(param(req, 'id'), q) });
  });
  doc('patch', '/v1/entries/:id', 'Edit an entry.', {
    request: { body: entryPatch },
    response: { 200: entryOut },
  });
  r.patch('/v1/entries/:id', requireScope('admin'), json, async (req, res) => {
    res.json(await admin.updateEntry(param(req, 'id'), parseOr422(entryPatch, req.body, 'entry')));
  });
  doc('delete', '/v1/entries/:id', 'Delete an entry.', {
    response: { 204: { description: 'Deleted' } },
  });
  r.delete('/v1/entries/:id', requireScope('admin'), async (req, res) => {
    await admin.deleteEntry(param(req, 'id'));
    res.status(204).end();
  });

  doc('get', '/v1/teams/:id/prompts', "A local date's prompts with their status.", {
    request: { query: promptsQuery },
  });
  r.get('/v1/teams/:id/prompts', requireScope('read'), async (req, res) => {
    const q = parseOr422(promptsQuery, req.query, 'query');
    res.json({ data: await admin.listPrompts(param(req, 'id'), q.date) });
  });
  doc(
    'get',
    '/v1/teams/:id/stats',
    'Completion rate per member and team, and streaks (default: the last 30 days).',
    { request: { query: statsQuery } },
  );
  r.get('/v1/teams/:id/stats', requireScope('read'), async (req, res) => {
    const q = parseOr422(statsQuery, req.query, 'query');
    res.json(await admin.stats(param(req, 'id'), q));
  });
  return r;
}
