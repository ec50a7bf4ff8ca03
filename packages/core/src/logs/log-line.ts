import type { SchemaErrorMatch, TailLine } from '@flightdeck/contracts';
import { matchSchemaError } from './schema-errors.js';

// Lambda's own prefixes ([ERROR], [WARNING]), Python tracebacks, Node's "Error:" and runtime failures.
const errorLine =
  /\[(?:ERROR|CRITICAL|FATAL)\]|\b(?:ERROR|CRITICAL|FATAL)\b|Traceback \(most recent call last\)|\b\w*(?:Exception|Error):|Task timed out|Runtime\.\w+/;
const warningLine = /\[WARN(?:ING)?\]|\bWARN(?:ING)?\b/;

export type Severity = TailLine['severity'];

/** Decided once on the server, so every viewer highlights the same lines. */
export function classifyLogLine(message: string): {
  severity: Severity;
  schemaError: SchemaErrorMatch | null;
} {
  const schemaError = matchSchemaError(message);
  if (schemaError || errorLine.test(message)) return { severity: 'error', schemaError };
  return { severity: warningLine.test(message) ? 'warning' : 'info', schemaError: null };
}
