// The demo database is one PGlite backend: it cannot hold a second session's transaction, so no
// real lock can be held open or waited for. The sandbox simulates the sessions a lock poll would
// see instead: a schema `sandbox_sim` with its own pg_stat_activity and pg_locks views and a
// pg_blocking_pids() function over a table of simulated sessions, found before pg_catalog's by
// the database's search_path (public, sandbox_sim, pg_catalog). Every query reads them the same
// way, so the BFF's lock poll sees them directly and through the SQL function alike. Their lock
// rows name real tables (joined to pg_class), and their times are the database's own now().
export const simulatedSessionsSql = `
CREATE SCHEMA IF NOT EXISTS sandbox_sim;
CREATE TABLE IF NOT EXISTS sandbox_sim.sessions (
  pid integer PRIMARY KEY,
  application_name text NOT NULL,
  state text,
  query text,
  xact_start timestamptz,
  query_start timestamptz,
  blocked_by integer[] NOT NULL DEFAULT '{}',
  ends_at timestamptz
);
CREATE TABLE IF NOT EXISTS sandbox_sim.locks (
  pid integer NOT NULL,
  relname text NOT NULL,
  mode text NOT NULL,
  granted boolean NOT NULL,
  waitstart timestamptz
);
CREATE OR REPLACE VIEW sandbox_sim.pg_stat_activity AS
  SELECT d.oid AS datid, d.datname, s.pid, 10::oid AS usesysid, 'postgres'::name AS usename,
         s.application_name, 'client backend'::text AS backend_type, s.state, s.query,
         s.xact_start, s.query_start, s.query_start AS state_change
    FROM sandbox_sim.sessions s, pg_catalog.pg_database d
   WHERE d.datname = current_database() AND (s.ends_at IS NULL OR s.ends_at > now());
CREATE OR REPLACE VIEW sandbox_sim.pg_locks AS
  SELECT 'relation'::text AS locktype, d.oid AS database, c.oid AS relation, l.pid, l.mode, l.granted,
         l.waitstart
    FROM sandbox_sim.locks l
    JOIN sandbox_sim.sessions s ON s.pid = l.pid AND (s.ends_at IS NULL OR s.ends_at > now())
    JOIN pg_catalog.pg_class c ON c.relname = l.relname AND c.relnamespace = 'public'::regnamespace
    CROSS JOIN pg_catalog.pg_database d
   WHERE d.datname = current_database();
CREATE OR REPLACE FUNCTION sandbox_sim.pg_blocking_pids(integer) RETURNS integer[]
  LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT s.blocked_by FROM sandbox_sim.sessions s
                      WHERE s.pid = $1 AND (s.ends_at IS NULL OR s.ends_at > now())), '{}')
  $$;
ALTER DATABASE postgres SET search_path = public, sandbox_sim, pg_catalog;
SET search_path = public, sandbox_sim, pg_catalog;
`;

/** The worker transaction a person can leave open ("Open a long transaction"). */
export const longTransactionPid = 4242;
export const longTransactionApplication = 'credmate worker';
