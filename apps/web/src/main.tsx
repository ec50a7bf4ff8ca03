import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AppShell } from './app';
import { LogsPage } from './pages/logs/logs-page';
import { MetricsPage } from './pages/metrics/metrics-page';
import { MigrationHistoryPage } from './pages/migration-history/migration-history-page';
import { OverviewPage } from './pages/overview/overview-page';
import { RollbacksPage } from './pages/rollbacks/rollbacks-page';
import { AuditPage } from './pages/audit/audit-page';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

const router = createBrowserRouter([
  {
    path: '/',
    element: <AppShell />,
    children: [
      { index: true, element: <OverviewPage /> },
      { path: 'metrics', element: <MetricsPage /> },
      { path: 'logs', element: <LogsPage /> },
      { path: 'migrations', element: <MigrationHistoryPage /> },
      { path: 'rollbacks', element: <RollbacksPage /> },
      { path: 'audit', element: <AuditPage /> },
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
