import type { MigrationHistoryData, MigrationReport, ReportRevision } from '@flightdeck/contracts';
import { countOf } from '../../format';
import { addedBy, groupColumnsByTable } from './history-view';

type Drift = NonNullable<MigrationReport['drift']>;

/**
 * The schema the code's migrations say must exist against the database's information_schema.
 * A missing object a pending revision adds is the deploy's job; one an applied revision
 * should have added is drift, and is said so.
 */
export function DriftPanel({ drift, data }: { drift: Drift; data: MigrationHistoryData }) {
  const owners = addedBy(data);
  const missing = drift.missingTables.length + drift.missingColumns.length;
  const missingEnumValues = data.missingEnumValues ?? [];
  const columnGroups = groupColumnsByTable(drift.missingColumns);
  return (
    <div className="drift" data-testid="drift">
      <p
        className={`status ${missing ? 'status--bad' : 'status--ok'}`}
        data-testid="drift-summary"
        role={missing ? 'alert' : undefined}
      >
        {drift.summary}
      </p>
      {drift.missingTables.length > 0 && (
        <section>
          <h3>Missing tables ({drift.missingTables.length})</h3>
          <ul className="drift__list" data-testid="drift-missing-tables">
            {drift.missingTables.map((table) => (
              <li key={table}>
                <code>{table}</code> <Owner revision={owners.get(table)} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {columnGroups.length > 0 && (
        <section>
          <h3>Missing columns ({drift.missingColumns.length})</h3>
          <ul className="drift__list" data-testid="drift-missing-columns">
            {columnGroups.map(({ table, columns }) => (
              <li key={table}>
                <strong>{table}</strong> — {countOf(columns.length, 'column')}{' '}
                <Owner revision={owners.get(`${table}.${columns[0]}`)} />
                <div className="chips">
                  {columns.map((column) => (
                    <code key={column} className="chip">
                      {column}
                    </code>
                  ))}
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      {missingEnumValues.length > 0 && (
        <section>
          <h3>Missing enum values ({missingEnumValues.length})</h3>
          <div className="chips" data-testid="drift-missing-enum-values">
            {missingEnumValues.map((value) => (
              <code key={value} className="chip">
                {value}
              </code>
            ))}
          </div>
        </section>
      )}
      {(drift.extraTables.length > 0 || drift.extraColumns.length > 0) && (
        <section data-testid="drift-extra">
          <h3>In the database, in no migration</h3>
          <p className="muted small">Not a problem for this deploy; listed so that nobody is surprised.</p>
          <div className="chips">
            {drift.extraTables.map((table) => (
              <code key={table} className="chip">
                {table}
              </code>
            ))}
            {drift.extraColumns.map(({ table, column }) => (
              <code key={`${table}.${column}`} className="chip">
                {table}.{column}
              </code>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}

function Owner({ revision }: { revision: ReportRevision | undefined }) {
  if (!revision) return null;
  if (revision.state === 'pending')
    return (
      <span className="muted small">
        added by pending <code>{revision.revision}</code>
      </span>
    );
  if (revision.state === 'applied' || revision.state === 'current')
    return (
      <span className="bad small">
        should exist since <code>{revision.revision}</code>, which is applied: drift
      </span>
    );
  return (
    <span className="muted small">
      added by <code>{revision.revision}</code>
    </span>
  );
}
