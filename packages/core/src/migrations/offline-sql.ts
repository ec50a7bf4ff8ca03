// Alembic's offline mode (`alembic upgrade a:b --sql`) prints one SQL script for a
// range of revisions, marking each with "-- Running upgrade <from> -> <to>". The
// whole script is analysed at once (so BEGIN/COMMIT are tracked across revisions),
// then each statement is attributed to the revision whose marker precedes it.
import { analyzeSqlText } from '../sql/analyze-sql.js';
import { sqlComments } from '../sql/pg-parser.js';
import { summarizeStatements, type MigrationSummary } from './summarize.js';

export interface OfflineRevisionMarker {
  revision: string;
  from: string[];
  line: number;
}

const markerPrefix = '-- Running upgrade';

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The "-- Running upgrade a -> b" markers, in order. */
export function offlineRevisionMarkers(sql: string): OfflineRevisionMarker[] {
  return sqlComments(sql).flatMap((comment) => {
    if (!comment.text.startsWith(markerPrefix)) return [];
    const [from = '', to = ''] = comment.text.slice(markerPrefix.length).split('->');
    const revision = to.trim();
    if (!revision) return [];
    return [
      {
        revision,
        from: from
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== ''),
        line: lineOf(sql, comment.offset),
      },
    ];
  });
}

/**
 * One summary per revision in Alembic's offline SQL. Statements before the first
 * marker (creating alembic_version) belong to no revision and are left out.
 */
export function summarizeOfflineSql(sql: string, file?: string): MigrationSummary[] {
  const markers = offlineRevisionMarkers(sql);
  const statements = analyzeSqlText(sql, { inTransaction: false });
  return markers.map((marker, index) => {
    const next = markers[index + 1];
    const own = statements.filter(
      (statement) =>
        statement.line !== null && statement.line > marker.line && (!next || statement.line < next.line),
    );
    return summarizeStatements(marker.revision, own, { file: file ?? null, source: 'sql', findings: [] });
  });
}
