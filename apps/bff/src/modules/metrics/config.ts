import Type from 'typebox';
import { strict } from '@flightdeck/contracts';
import { defaultLambdaMeasures } from '@flightdeck/core';

/** `metrics`: the Overview's window and the charts' measures. */
export const metricsSection = Type.Object(
  {
    windowMinutes: Type.Integer({ minimum: 5, maximum: 1440, default: 15 }),
    measures: Type.Array(
      Type.Object(
        {
          id: Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]*$' }),
          label: Type.String(),
          metric: Type.String({ minLength: 1, description: 'AWS/Lambda metric name' }),
          stat: Type.String({ minLength: 1, description: 'Sum, Average, Maximum, p50, p99 …' }),
          unit: Type.Union([Type.Literal('count'), Type.Literal('milliseconds')]),
        },
        strict,
      ),
      { default: defaultLambdaMeasures, minItems: 1, maxItems: 100 },
    ),
    scope: Type.Union([Type.Literal('function'), Type.Literal('alias')], {
      default: 'function',
      description: 'alias: chart only the traffic of each function’s configured alias',
    }),
    windowIdleSeconds: Type.Integer({ minimum: 1, maximum: 86_400, default: 120 }),
    compareMinutes: Type.Integer({ minimum: 1, maximum: 1440, default: 10 }),
  },
  strict,
);
