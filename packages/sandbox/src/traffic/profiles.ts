/** What each story function's traffic looks like: rates, routes or jobs, durations. */

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  weight: number;
  /** Median duration in ms of a successful request. */
  medianMs: number;
  status: number;
}

/** The backend API's request mix; the notification preferences GET is the one that breaks. */
export const backendRoutes: readonly Route[] = [
  { method: 'GET', path: '/api/v1/health', weight: 25, medianMs: 1.6, status: 200 },
  { method: 'GET', path: '/api/v1/providers', weight: 14, medianMs: 3.8, status: 200 },
  { method: 'GET', path: '/api/v1/providers/{id}', weight: 10, medianMs: 3.0, status: 200 },
  { method: 'GET', path: '/api/v1/licenses', weight: 12, medianMs: 3.6, status: 200 },
  { method: 'GET', path: '/api/v1/credentials/expiring', weight: 8, medianMs: 4.4, status: 200 },
  { method: 'GET', path: '/api/v1/messages', weight: 8, medianMs: 3.9, status: 200 },
  { method: 'POST', path: '/api/v1/messages', weight: 2, medianMs: 6.5, status: 201 },
  { method: 'GET', path: '/api/v1/dashboard/summary', weight: 9, medianMs: 5.2, status: 200 },
  { method: 'GET', path: '/api/v1/notifications/preferences', weight: 4, medianMs: 3.4, status: 200 },
  { method: 'POST', path: '/api/v1/auth/refresh', weight: 6, medianMs: 2.6, status: 200 },
  { method: 'GET', path: '/api/v1/coordinator/actions', weight: 2, medianMs: 4.0, status: 200 },
];

export const notificationPreferencesRoute = backendRoutes.findIndex(
  (r) => r.path === '/api/v1/notifications/preferences',
);

export interface Job {
  name: string;
  weight: number;
  medianMs: number;
}

export const workerJobs: readonly Job[] = [
  { name: 'send_expiration_reminders', weight: 20, medianMs: 180 },
  { name: 'sync_license_status', weight: 25, medianMs: 95 },
  { name: 'process_document_upload', weight: 10, medianMs: 420 },
  { name: 'refresh_dashboard_cache', weight: 25, medianMs: 60 },
  { name: 'fan_out_notifications', weight: 15, medianMs: 45 },
  { name: 'import_provider_batch', weight: 5, medianMs: 650 },
];

export function cumulative(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

/** 0 in the small hours of US Eastern time (04:00 UTC), 1 in the early afternoon (16:00 UTC). */
export function dailyShape(atMs: number): number {
  const hours = (atMs / 3_600_000) % 24;
  return 0.5 - 0.5 * Math.cos((2 * Math.PI * (hours - 4)) / 24);
}

function isWeekend(atMs: number): boolean {
  const day = new Date(atMs).getUTCDay();
  return day === 0 || day === 6;
}

/** Expected invocations per minute: backend ~100-150 with a daily shape, worker 12-20. */
export function expectedPerMinute(profile: 'backend' | 'worker', atMs: number): number {
  const weekday = isWeekend(atMs) ? 0.9 : 1;
  return profile === 'backend'
    ? (100 + 50 * dailyShape(atMs)) * weekday
    : (12 + 8 * dailyShape(atMs)) * weekday;
}

/** Execution environments alive at once, and how long one lives (each is a log stream). */
export const environments = { backend: 3, worker: 2, 'on-demand': 1 } as const;
export const environmentLifetimeMs = 2 * 3_600_000;
