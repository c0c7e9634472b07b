import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from './support/json-body.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { rowCounts } from './support/row-counts.js';
import { stageBody } from './support/stage-body.js';
import { describeOnEachDatabase, type TestDatabaseFactory } from './support/test-databases.js';
import { startOfflineServer, type TestServer, tempDir } from './support/test-server.js';

// PostgreSQL refuses NUL (U+0000) in text (error 22021) where SQLite stores it, so a NUL that reached a
// query was a 500 on one database and a result on the other. The API refuses it at the edge instead:
// the same 4xx on both, nothing written.

const postgres = await requirePostgresUnlessLocal();

const cursorOf = (key: unknown[]) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

function nulSuite(name: string, database: TestDatabaseFactory) {
  describe(`NUL characters on ${name}`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startOfflineServer(database);
    });
    afterAll(() => server?.close());

    it.each([
      ['/api/v1/events?topic=%00', 'invalid_query', /topic/],
      ['/api/v1/events?topic=a%00b', 'invalid_query', /topic/],
      ['/api/v1/events?notification_id=%00', 'invalid_query', /notification_id/],
      ['/api/v1/events?disbursement_id=%00', 'invalid_query', /disbursement_id/],
      ['/api/v1/disbursements?q=%00', 'invalid_query', /\bq\b/],
      ['/api/v1/disbursements?status=funded%00', 'invalid_query', /status/],
      [`/api/v1/disbursements?cursor=${cursorOf([1, 'a\u0000'])}`, 'invalid_cursor', /cursor/],
    ])('GET %s → 400 %s', async (path, code, names) => {
      const response = await server.api(path);
      expect(response.status).toBe(400);
      const { error } = await json(response);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(names);
    });

    it.each([
      [
        'recipient.first_name',
        (b: ReturnType<typeof stageBody>) => ({ ...b, recipient: { ...b.recipient, first_name: 'Ja\u0000ne' } }),
      ],
      ['participant_unique_id1', (b: ReturnType<typeof stageBody>) => ({ ...b, participant_unique_id1: 'p\u0000' })],
      [
        'recipient.last_name',
        (b: ReturnType<typeof stageBody>) => ({ ...b, recipient: { ...b.recipient, last_name: '\u0000' } }),
      ],
      [
        'authentication_records.0.field_label',
        (b: ReturnType<typeof stageBody>) => ({
          ...b,
          authentication_records: [{ ...b.authentication_records[0]!, field_label: 'SSN\u0000' }],
        }),
      ],
    ])('POST /api/v1/disbursements with a NUL in %s → 422 naming it, nothing written', async (path, mutate) => {
      const before = await rowCounts(server.server.database);
      const response = await server.api('/api/v1/disbursements', { method: 'POST', json: mutate(stageBody()) });
      expect(response.status).toBe(422);
      const { error } = await json(response);
      expect(error.code).toBe('validation_failed');
      expect(error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
      expect(await rowCounts(server.server.database)).toEqual(before);
    });
  });
}

const sqliteDir = tempDir('nul');
afterAll(() => sqliteDir.remove());
describeOnEachDatabase(postgres, { dir: sqliteDir.path, file: 'nul.sqlite' }, 'nul', nulSuite);
