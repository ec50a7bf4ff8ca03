import { metricsWindowIds, type MetricsWindowId } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { metricsWindowQuery } from '../../api/metrics';
import { SourceCard } from '../../components/source-card';
import { DeployMarkersPanel } from './deploy-markers-panel';
import { FunctionCharts } from './function-charts';

const isWindow = (value: string | null): value is MetricsWindowId =>
  value !== null && (metricsWindowIds as readonly string[]).includes(value);

/** Is it going well: every configured function's metrics over a window, with the deploys on them. */
export function MetricsPage() {
  const [params, setParams] = useSearchParams();
  const requested = params.get('window');
  const window: MetricsWindowId = isWindow(requested) ? requested : '1h';
  const query = useQuery(metricsWindowQuery(window));
  return (
    <div className="metrics-page">
      <div className="toolbar" role="group" aria-label="Window">
        {metricsWindowIds.map((id) => (
          <button
            key={id}
            type="button"
            className={id === window ? 'toggle toggle--on' : 'toggle'}
            aria-pressed={id === window}
            data-testid={`window-${id}`}
            onClick={() => setParams({ window: id })}
          >
            {id}
          </button>
        ))}
      </div>
      {query.isPending && (
        <p className="muted" data-testid="metrics-loading">
          Loading the last {window}…
        </p>
      )}
      {query.isError && (
        <p className="status status--bad" role="alert">
          Flightdeck’s server did not answer: {query.error.message}
        </p>
      )}
      {query.data && (
        <SourceCard
          title={`Lambda metrics, last ${window}`}
          testId="card-metrics-window"
          state={query.data.metrics}
          clockSkewMs={Date.parse(query.data.serverTime) - Date.now()}
        >
          {(data) => (
            <>
              <DeployMarkersPanel markers={query.data.markers} comparisons={query.data.comparisons} />
              <div className="grid grid--functions">
                {data.functions.map((fn) => (
                  <FunctionCharts key={fn.functionName} data={data} fn={fn} markers={query.data.markers} />
                ))}
              </div>
            </>
          )}
        </SourceCard>
      )}
    </div>
  );
}
