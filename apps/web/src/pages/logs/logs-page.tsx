import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useLogTail } from '../../api/log-tail';
import { logsOverviewQuery } from '../../api/logs';
import { TailView } from './tail-view';

/** A live tail of one function's log group, narrowed by a CloudWatch Logs filter pattern. */
export function LogsPage() {
  const overview = useQuery(logsOverviewQuery());
  const [params, setParams] = useSearchParams();
  const groups = overview.data?.groups ?? [];
  const functionName = params.get('fn') ?? groups[0]?.functionName ?? null;
  const filter = params.get('filter') ?? '';
  const [draft, setDraft] = useState(filter);
  useEffect(() => setDraft(filter), [filter]);
  const tail = useLogTail(functionName, filter);

  const apply = (next: { fn?: string; filter?: string }) => {
    const fn = next.fn ?? functionName ?? '';
    const pattern = next.filter ?? filter;
    setParams(pattern ? { fn, filter: pattern } : { fn });
  };

  return (
    <div className="logs-page">
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          apply({ filter: draft });
        }}
      >
        <label className="small">
          Function{' '}
          <select
            value={functionName ?? ''}
            data-testid="log-function"
            onChange={(e) => apply({ fn: e.target.value })}
          >
            {groups.map((g) => (
              <option key={g.functionName} value={g.functionName}>
                {g.label} ({g.logGroup})
              </option>
            ))}
          </select>
        </label>
        <label className="small filter-field">
          Filter pattern{' '}
          <input
            value={draft}
            placeholder='e.g. ?ERROR ?"does not exist"'
            spellCheck={false}
            data-testid="log-filter"
            onChange={(e) => setDraft(e.target.value)}
          />
        </label>
        <button type="submit" className="toggle" data-testid="log-filter-apply">
          Apply
        </button>
        {filter && (
          <button type="button" className="toggle" onClick={() => apply({ filter: '' })}>
            Clear
          </button>
        )}
      </form>
      {tail.refusal ? (
        <p className="status status--bad" role="alert" data-testid="tail-refusal">
          {tail.refusal}
        </p>
      ) : (
        <TailView key={`${functionName}\n${filter}`} tail={tail} />
      )}
    </div>
  );
}
