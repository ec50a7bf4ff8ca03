import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AppShell } from './app';

// Each page is its own chunk: the first page loads only what it shows (see first-page-budget.test.ts).
const OverviewPage = lazy(() =>
  import('./pages/overview/overview-page').then((m) => ({ default: m.OverviewPage })),
);
const MetricsPage = lazy(() =>
  import('./pages/metrics/metrics-page').then((m) => ({ default: m.MetricsPage })),
);
const LogsPage = lazy(() => import('./pages/logs/logs-page').then((m) => ({ default: m.LogsPage })));
const MigrationHistoryPage = lazy(() =>
  import('./pages/migration-history/migration-history-page').then((m) => ({
    default: m.MigrationHistoryPage,
  })),
);
const page = (element: ReactNode) => (
  <Suspense fallback={<p className="muted">Loading…</p>}>{element}</Suspense>
);
const RollbacksPage = lazy(() =>
  import('./pages/rollbacks/rollbacks-page').then((m) => ({ default: m.RollbacksPage })),
);
const DeployPage = lazy(() => import('./pages/deploy/deploy-page').then((m) => ({ default: m.DeployPage })));
const DeployListPage = lazy(() =>
  import('./pages/deploy-list/deploy-list-page').then((m) => ({ default: m.DeployListPage })),
);
const AuditPage = lazy(() => import('./pages/audit/audit-page').then((m) => ({ default: m.AuditPage })));
const NotificationsPage = lazy(() =>
  import('./pages/notifications/notifications-page').then((m) => ({ default: m.NotificationsPage })),
);
const TokensPage = lazy(() => import('./pages/tokens/tokens-page').then((m) => ({ default: m.TokensPage })));
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

const router = createBrowserRouter([
  {
    path: '/',
    element: <AppShell />,
    children: [
      { index: true, element: page(<OverviewPage />) },
      { path: 'metrics', element: page(<MetricsPage />) },
      { path: 'logs', element: page(<LogsPage />) },
      { path: 'migrations', element: page(<MigrationHistoryPage />) },
      { path: 'deploys', element: page(<DeployListPage />) },
      { path: 'deploys/:id', element: page(<DeployPage />) },
      { path: 'rollbacks', element: page(<RollbacksPage />) },
      { path: 'rollbacks/:jobId', element: page(<RollbacksPage />) },
      { path: 'audit', element: page(<AuditPage />) },
      { path: 'notifications', element: page(<NotificationsPage />) },
      { path: 'tokens', element: page(<TokensPage />) },
    ],
  },
]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
