import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { startSandbox, type Sandbox } from '@flightdeck/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaMetricsSource } from './metrics-source.js';

// The sandbox's real clock stands still, so only advancing the scenario clock moves time.
const storyMoment = Date.parse('2026-02-03T06:35:00.000Z');
const backend = { name: 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx', label: 'API', alias: 'prod' };

const lastMinutes = (series: { t: string; invocations: number; errors: number }[], minutes: number) =>
  series
    .slice(-minutes)
    .reduce((sum, p) => ({ invocations: sum.invocations + p.invocations, errors: sum.errors + p.errors }), {
      invocations: 0,
      errors: 0,
    });

describe('LambdaMetricsSource', () => {
  let sandbox: Sandbox;
  let cloudwatch: CloudWatchClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ awsPort: 0, dbPort: 0, quiet: true, now: () => storyMoment });
    cloudwatch = new CloudWatchClient({
      endpoint: sandbox.awsEndpoint,
      region: sandbox.region,
      credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    });
    // The missing table fails requests until the migration; then the clock moves 15 minutes on.
    await sandbox.scenario.applyMigrations();
    await sandbox.scenario.advanceClock(15 * 60);
  }, 60_000);
  afterAll(async () => {
    cloudwatch?.destroy();
    await sandbox?.close();
  });

  it('ends its window at the clock it is given: the scenario clock sees the clean minutes after the migration', async () => {
    const scenarioClock = () => new Date(sandbox.scenario.now());
    const metrics = await new LambdaMetricsSource(cloudwatch, [backend], 60, scenarioClock).fetch();
    const series = metrics.functions[0]!.series;
    expect(Date.parse(series.at(-1)!.t)).toBe(Math.floor(sandbox.scenario.now() / 60_000) * 60_000 - 60_000);
    const recent = lastMinutes(series, 10);
    expect(recent.invocations).toBeGreaterThan(0);
    expect(recent.errors).toBe(0);
  });

  it('read on the real clock, the same source still shows the failing minutes before the migration', async () => {
    const metrics = await new LambdaMetricsSource(
      cloudwatch,
      [backend],
      60,
      () => new Date(storyMoment),
    ).fetch();
    expect(lastMinutes(metrics.functions[0]!.series, 10).errors).toBeGreaterThan(0);
  });
});
