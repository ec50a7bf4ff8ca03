import { hashString } from '../scenario/prng.js';
import type { Scenario } from '../scenario/scenario.js';
import { lambdaMetricSeries, type MetricQuery } from '../traffic/lambda-metrics.js';
import { isSupportedStat } from '../traffic/metric-stats.js';
import { AwsApiError } from './aws-error.js';
import { pageOfDatapoints } from './metric-pages.js';
import {
  decodeToken,
  encodeToken,
  JsonFields,
  type JsonInput,
  type JsonRpcService,
} from './json-protocol.js';

/** CloudWatch's documented GetMetricData limits. */
export const maxQueriesPerCall = 500;
export const maxDatapointsPerCall = 100_800;

const validation = (message: string) =>
  new AwsApiError('ValidationError', 400, message, {}, 'ValidationException');
const invalidValue = (message: string) =>
  new AwsApiError('InvalidParameterValue', 400, message, {}, 'InvalidParameterValueException');

interface ParsedQuery {
  id: string;
  label: string;
  returnData: boolean;
  metric: Omit<MetricQuery, 'startMs' | 'endMs'>;
}

interface PageToken {
  /** Datapoints already returned. */
  offset: number;
  /** Scenario time of the first page: later pages see the same data. */
  asOf: number;
  request: number;
}

export function cloudWatchService(scenario: Scenario): JsonRpcService {
  return {
    service: 'CloudWatch',
    targetPrefix: 'GraniteServiceVersion20100801',
    jsonVersion: '1.0',
    namespace: 'com.amazonaws.cloudwatch',
    queryCompatible: true,
    operations: {
      GetMetricData: (input) => getMetricData(scenario, input),
      DescribeAlarms: (input) => describeAlarms(scenario, input),
    },
  };
}

function getMetricData(scenario: Scenario, input: JsonInput) {
  const fields = new JsonFields(input, validation);
  const startSeconds = fields.number('StartTime');
  const endSeconds = fields.number('EndTime');
  if (startSeconds === undefined) throw validation('The parameter StartTime is required.');
  if (endSeconds === undefined) throw validation('The parameter EndTime is required.');
  if (startSeconds >= endSeconds)
    throw validation('The parameter StartTime must be less than the parameter EndTime.');
  const scanBy = fields.string('ScanBy') ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending')
    throw validation(
      `1 validation error detected: Value '${scanBy}' at 'scanBy' failed to satisfy constraint: Member must satisfy enum value set: [TimestampDescending, TimestampAscending]`,
    );
  const maxDatapoints = fields.number('MaxDatapoints');
  if (maxDatapoints !== undefined && (!Number.isInteger(maxDatapoints) || maxDatapoints < 1))
    throw invalidValue('The parameter MaxDatapoints must be a positive integer.');
  const queries = parseQueries(fields.array('MetricDataQueries'));
  const percentile = queries.find((q) => /^p\d/.test(q.metric.stat));
  if (percentile && scenario.takeBehaviourFault('percentiles-unsupported'))
    // What moto does: the whole request fails on its side, every query with it.
    throw new AwsApiError(
      'InternalServiceError',
      500,
      `Percentile statistics are not supported by this endpoint (${percentile.metric.stat} in query ${percentile.id}; sandbox fault percentiles-unsupported)`,
      {},
      'InternalServiceFault',
    );

  const requestKey = hashString(
    JSON.stringify([input.MetricDataQueries, startSeconds, endSeconds, scanBy, maxDatapoints]),
  );
  const nextToken = fields.string('NextToken');
  let page: PageToken = { offset: 0, asOf: scenario.now(), request: requestKey };
  if (nextToken !== undefined) {
    const decoded = decodeToken<PageToken>(nextToken);
    if (!decoded || decoded.request !== requestKey || !Number.isInteger(decoded.offset))
      throw new AwsApiError(
        'InvalidNextToken',
        400,
        "The service couldn't process the NextToken. Use the token from the previous response with the same request.",
        {},
        'InvalidNextToken',
      );
    page = decoded;
  }

  const startMs = startSeconds * 1000;
  const endMs = Math.min(endSeconds * 1000, page.asOf + 1);
  const series = queries
    .filter((q) => q.returnData)
    .map((q) => {
      const s = lambdaMetricSeries({ ...q.metric, startMs, endMs }, scenario, scenario.trafficCache);
      const order = s.timestamps.map((_, i) => i);
      if (scanBy === 'TimestampDescending') order.reverse();
      return {
        query: q,
        timestamps: order.map((i) => s.timestamps[i]! / 1000),
        values: order.map((i) => s.values[i]!),
      };
    });

  const limit = Math.min(maxDatapoints ?? maxDatapointsPerCall, maxDatapointsPerCall);
  const { slices, more } = pageOfDatapoints(
    series.map((s) => s.timestamps.length),
    page.offset,
    limit,
  );
  const results = series.map(({ query, timestamps, values }, i) => {
    const { from, to, complete } = slices[i]!;
    return {
      Id: query.id,
      Label: query.label,
      Timestamps: timestamps.slice(from, to),
      Values: values.slice(from, to),
      StatusCode: complete ? 'Complete' : 'PartialData',
      Messages: [],
    };
  });
  return {
    MetricDataResults: results,
    Messages: [],
    ...(more ? { NextToken: encodeToken({ ...page, offset: page.offset + limit }) } : {}),
  };
}

function parseQueries(raw: unknown[] | undefined): ParsedQuery[] {
  if (!raw || raw.length === 0) throw validation('The parameter MetricDataQueries is required.');
  if (raw.length > maxQueriesPerCall)
    throw validation(
      `The collection MetricDataQueries must not have a size greater than ${maxQueriesPerCall}.`,
    );
  const ids = new Set<string>();
  return raw.map((entry, index) => {
    const where = `MetricDataQueries.member.${index + 1}`;
    if (typeof entry !== 'object' || entry === null) throw validation(`${where} must be a structure`);
    const q = new JsonFields(entry as JsonInput, validation);
    const id = q.string('Id');
    if (id === undefined || !/^[a-z][a-zA-Z0-9_]*$/.test(id) || id.length > 255)
      throw validation(
        `The value ${id ?? ''} for parameter ${where}.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`,
      );
    if (ids.has(id)) throw validation('The values for parameter id in MetricDataQueries are not unique.');
    ids.add(id);
    const expression = q.string('Expression');
    const stat = (entry as JsonInput).MetricStat;
    if (expression !== undefined && stat !== undefined)
      throw validation(`The parameter ${where} must contain either MetricStat or Expression, not both.`);
    if (expression !== undefined)
      throw validation(
        `Metric math (Expression in ${id}) is not supported by the sandbox; use MetricStat queries.`,
      );
    if (typeof stat !== 'object' || stat === null)
      throw validation(`The parameter ${where} must contain either MetricStat or Expression.`);
    const s = new JsonFields(stat as JsonInput, validation);
    const metric = (stat as JsonInput).Metric;
    if (typeof metric !== 'object' || metric === null)
      throw validation(`The parameter ${where}.MetricStat.Metric is required.`);
    const m = new JsonFields(metric as JsonInput, validation);
    const period = s.number('Period');
    if (period === undefined || !Number.isInteger(period) || period < 60 || period % 60 !== 0)
      throw validation(
        `The parameter ${where}.MetricStat.Period must be a multiple of 60 for AWS/Lambda metrics (got ${period}).`,
      );
    const statName = s.string('Stat');
    if (statName === undefined || !isSupportedStat(statName))
      throw invalidValue(
        `The statistic ${statName ?? '(none)'} in ${where} is not supported by the sandbox (Sum, Average, Minimum, Maximum, SampleCount, pNN.N).`,
      );
    const dimensions = (m.array('Dimensions') ?? []).map((d) => {
      const dim = new JsonFields((d ?? {}) as JsonInput, validation);
      return { name: dim.string('Name') ?? '', value: dim.string('Value') ?? '' };
    });
    const metricName = m.string('MetricName') ?? '';
    const unit = s.string('Unit');
    return {
      id,
      label: q.string('Label') ?? metricName,
      returnData: q.boolean('ReturnData') ?? true,
      metric: {
        namespace: m.string('Namespace') ?? '',
        metricName,
        dimensions,
        stat: statName,
        periodSeconds: period,
        ...(unit === undefined ? {} : { unit }),
      },
    };
  });
}

/** The one alarm the sandbox keeps: the backend function's errors over the last 5 minutes. */
export const backendErrorsAlarmName = 'backend-api-errors';
const alarmMinutes = 5;

function describeAlarms(scenario: Scenario, input: JsonInput) {
  const fields = new JsonFields(input, validation);
  const names = (fields.array('AlarmNames') ?? []).map(String);
  const prefix = fields.string('AlarmNamePrefix');
  const backend = scenario.functions[0]!;
  const now = scenario.now();
  // Its state follows the traffic: errors (the story's missing tables, injected failures) in the
  // window put it in ALARM, as a CloudWatch alarm on Errors Sum > 0 would.
  const errors = lambdaMetricSeries(
    {
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: [{ name: 'FunctionName', value: backend.name }],
      stat: 'Sum',
      periodSeconds: 60,
      startMs: now - alarmMinutes * 60_000,
      endMs: now,
    },
    scenario,
    scenario.trafficCache,
  ).values.reduce((sum, v) => sum + v, 0);
  const alarm = {
    AlarmName: backendErrorsAlarmName,
    AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${backendErrorsAlarmName}`,
    AlarmDescription: `Errors of ${backend.name} over ${alarmMinutes} minutes`,
    StateValue: errors > 0 ? 'ALARM' : 'OK',
    StateReason:
      errors > 0
        ? `Threshold Crossed: ${errors} errors in the last ${alarmMinutes} minutes (Sum > 0)`
        : `Threshold not crossed: 0 errors in the last ${alarmMinutes} minutes`,
    StateUpdatedTimestamp: Math.floor(now / 1000),
    MetricName: 'Errors',
    Namespace: 'AWS/Lambda',
    Statistic: 'Sum',
    Dimensions: [{ Name: 'FunctionName', Value: backend.name }],
    Period: 60,
    EvaluationPeriods: alarmMinutes,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
  };
  const wanted =
    names.length > 0 ? names.includes(alarm.AlarmName) : !prefix || alarm.AlarmName.startsWith(prefix);
  return { MetricAlarms: wanted ? [alarm] : [], CompositeAlarms: [] };
}
