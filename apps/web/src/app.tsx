import { NavLink, Outlet } from 'react-router';
import { useLiveUpdates } from './api/live-updates';
import { useOverview } from './api/use-overview';

const liveLabels = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…' } as const;

/** The frame every page shares: what environment this is and whether updates are live. */
export function AppShell() {
  const live = useLiveUpdates();
  const overview = useOverview();
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Flightdeck</span>
        <span className="env" data-testid="environment">
          {overview.data?.environment ?? '…'}
        </span>
        <nav>
          <NavLink to="/" end>
            Overview
          </NavLink>
        </nav>
        <span className={`live live--${live}`} data-testid="live-status">
          ● {liveLabels[live]}
        </span>
      </header>
      <main>
        <Outlet />
      </main>
    </div>
  );
}
