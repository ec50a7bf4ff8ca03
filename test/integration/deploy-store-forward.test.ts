// The store's schema migrates forward with the deploys stored by the code before the deploy
// lifecycle: such a deploy opens, keeps its evidence and sign-offs, and lives on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deploy, DeployDetail } from '@flightdeck/contracts';
import { openStoreAsOf } from '@flightdeck/bff';
import { buildTestApp, waitFor, type TestApp } from '@flightdeck/bff/testing';

const baseline = {
  databaseRevision: '20260115_0200',
  codeHead: '20260131_0000',
  aliases: [
    { functionName: 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx', alias: 'prod', version: '13' },
  ],
  frontendRef: null,
  snapshot: { identifier: 'prod-credmate-db-pre-migration-20260203-062934', instance: 'prod-credmate-db' },
};

describe('a deploy stored before 0005_deploy_lifecycle', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'flightdeck-forward-'));
  let app: TestApp;

  beforeAll(async () => {
    // The schema and the rows as the code before the deploy lifecycle left them.
    const store = await openStoreAsOf({ dataDir }, '0004_replicas');
    try {
      await sql`insert into deploys (id, environment, phase, prepared_by, prepared_at, baseline, migrated_at, pending_at_prepare, baseline_metrics)
        values ('production-20260203T062934Z', 'production', 'monitoring', 'omar@sandbox.flightdeck', '2026-02-03T06:29:34Z',
                ${JSON.stringify(baseline)}::jsonb, '2026-02-03T06:40:00Z',
                '["20260115_0300","20260127_0100","7702d353e5b8","20260131_0000"]'::jsonb, null)`.execute(
        store.db,
      );
      await sql`insert into deploy_events (deploy_id, kind, message, at, details)
        values ('production-20260203T062934Z', 'prepared', 'Deploy prepared by omar@sandbox.flightdeck', '2026-02-03T06:29:34Z', '{}'::jsonb)`.execute(
        store.db,
      );
      await sql`insert into deploy_evidence (deploy_id, item_id, question, value, passed, evaluated_at)
        values ('production-20260203T062934Z', 'snapshot', 'available?', 'available, 5 min old', true, '2026-02-03T06:35:00Z')`.execute(
        store.db,
      );
      await sql`insert into deploy_sign_offs (deploy_id, item_id, signed_by, signed_at, comment)
        values ('production-20260203T062934Z', 'migration-tested', 'lee@sandbox.flightdeck', '2026-02-03T06:30:00Z', 'references quoted')`.execute(
        store.db,
      );
    } finally {
      await store.close();
    }
    app = await buildTestApp({ store: { dataDir }, deploys: { evaluateMs: 3_600_000 } });
  }, 90_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens through the API with its evidence and sign-offs, on the checklist it was prepared with', async () => {
    const { status, body } = await app.get<DeployDetail>('/api/v1/deploys/production-20260203T062934Z');
    expect(status).toBe(200);
    expect(body.deploy).toMatchObject({
      phase: 'monitoring',
      targetRevision: '20260131_0000',
      watchStartedAt: '2026-02-03T06:40:00.000Z',
      release: null,
    });
    // Its migration item was a lead's sign-off then, and stays one.
    expect(body.checklist.find((i) => i.id === 'migration-tested')).toMatchObject({
      kind: 'manual',
      state: 'signed-off',
      signOff: { by: 'lee@sandbox.flightdeck', comment: 'references quoted' },
    });
    expect(body.checklist.find((i) => i.id === 'snapshot')).toMatchObject({
      state: 'pass',
      judgement: 'final',
    });
    expect(body.verdict.gate).toBe('close');
    expect(body.transitions).toEqual(['released', 'finish']);
    expect(body.timeline.map((e) => e.kind)).toEqual(['prepared']);
    const list = (await app.get<{ deploys: Deploy[] }>('/api/v1/deploys')).body;
    expect(list.deploys.map((d) => d.id)).toEqual(['production-20260203T062934Z']);
  });

  it('lives on: the next prepare closes its watch as superseded', async () => {
    await waitFor(async () =>
      (await app.get<any>('/api/v1/overview')).body.sources.lambda.data ? true : undefined,
    );
    const response = await fetch(`${app.url}/api/v1/deploys`, {
      method: 'POST',
      headers: {
        ...(await app.signIn('ops')),
        'content-type': 'application/json',
        'idempotency-key': 'forward-prepare-1',
      },
      body: JSON.stringify({ release: { name: 'v2.15.0' } }),
    });
    expect(response.status).toBe(201);
    const next = (await response.json()) as Deploy;
    const old = (await app.get<DeployDetail>('/api/v1/deploys/production-20260203T062934Z')).body;
    expect(old.deploy).toMatchObject({
      phase: 'done',
      ending: { kind: 'superseded', message: `superseded by ${next.id}` },
    });
  });
});
