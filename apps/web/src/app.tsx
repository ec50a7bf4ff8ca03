import { NavLink, Outlet } from 'react-router';
import { useLiveUpdates } from './api/live-updates';
import { useOverview } from './api/overview';
import { useSession } from './api/session';
import { AccountBadge, WrongAccountBanner } from './components/account-badge';
import { ReplicaBadge } from './components/replica-badge';
import { SignInGate } from './components/sign-in-gate';
import { WhoAmI } from './components/who-am-i';

const liveLabels = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…' } as const;

/** The frame every page shares: environment, who you are, and whether updates are live. */
export function AppShell() {
  const session = useSession();
  const signedIn = Boolean(session.data?.user);
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Flightdeck</span>
        {signedIn && <EnvironmentBadge />}
        <nav>
          <NavLink to="/" end>
            Overview
          </NavLink>
          <NavLink to="/metrics">Metrics</NavLink>
          <NavLink to="/logs">Logs</NavLink>
          <NavLink to="/migrations">Migrations</NavLink>
          <NavLink to="/deploys">Deploys</NavLink>
          <NavLink to="/rollbacks">Rollbacks</NavLink>
          <NavLink to="/audit">Audit</NavLink>
          {session.data?.user?.role === 'ops' && <NavLink to="/notifications">Notifications</NavLink>}
          {session.data?.user?.role === 'ops' && <NavLink to="/tokens">Tokens</NavLink>}
        </nav>
        {signedIn && <AccountBadge />}
        {signedIn && <ReplicaBadge />}
        {signedIn && <LiveStatus />}
        <WhoAmI />
      </header>
      {signedIn && <WrongAccountBanner />}
      <main>
        {session.isPending ? <p className="muted">Loading…</p> : signedIn ? <Outlet /> : <SignInGate />}
      </main>
    </div>
  );
}

function EnvironmentBadge() {
  const overview = useOverview();
  return (
    <span className="env" data-testid="environment">
      {overview.data?.environment ?? '…'}
    </span>
  );
}

function LiveStatus() {
  const live = useLiveUpdates();
  return (
    <span className={`live live--${live}`} data-testid="live-status">
      ● {liveLabels[live]}
    </span>
  );
}
