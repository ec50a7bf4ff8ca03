import type { DeployMarker, MarkerComparison } from '@flightdeck/contracts';
import { comparisonFor, describeComparison, markerColors, markerKindLabels } from './chart-groups';

const kindLabels = markerKindLabels;

/** The deploy events drawn on the charts, each with what changed around it. */
export function DeployMarkersPanel({
  markers,
  comparisons,
}: {
  markers: DeployMarker[];
  comparisons: MarkerComparison[];
}) {
  if (markers.length === 0) {
    return (
      <p className="muted small" data-testid="deploy-markers-empty">
        No deploy events in this window.
      </p>
    );
  }
  return (
    <ol className="deploy-markers" data-testid="deploy-markers">
      {markers.map((marker) => {
        const comparison = comparisonFor(comparisons, marker.id);
        return (
          <li key={marker.id} data-testid="deploy-marker" data-kind={marker.kind}>
            <span className="marker-dot" style={{ background: markerColors[marker.kind] }} aria-hidden />
            <time dateTime={marker.at}>{marker.at.slice(0, 16).replace('T', ' ')} UTC</time>{' '}
            <span className="tag">{kindLabels[marker.kind]}</span> {marker.title}
            {marker.detail && <span className="muted small"> ({marker.detail})</span>}
            {marker.source === 'observed' && (
              <span className="muted small" title="Seen between two polls: accurate to one poll interval">
                {' '}
                (observed)
              </span>
            )}
            {comparison && (
              <ul className="marker-comparison" data-testid="marker-comparison">
                {comparison.functions.map((f) => (
                  <li key={f.functionName}>
                    <strong>{f.label}</strong>: {describeComparison(f.before, f.after, comparison.minutes)}
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}
