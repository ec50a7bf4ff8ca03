import Type from 'typebox';
import { strict } from '@flightdeck/contracts';

/** `lint`: how migration findings are weighed by the live tables' sizes (pg_class). */
export const lintSection = Type.Object(
  {
    rewriteMBPerSecond: Type.Number({
      exclusiveMinimum: 0,
      default: 100,
      description: 'How fast the database rewrites or reads a table, to estimate time under a lock',
    }),
    largeTableRows: Type.Integer({
      minimum: 1,
      default: 1_000_000,
      description: 'A table with this many rows is large: long work under its lock is an error',
    }),
    largeTableBytes: Type.Integer({
      minimum: 1,
      default: 1024 ** 3,
      description: 'Or this many bytes (pg_total_relation_size)',
    }),
  },
  strict,
);
