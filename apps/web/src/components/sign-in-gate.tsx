import { usePickDemoUser } from '../api/demo-users';
import { useSession } from '../api/session';

/** Shown instead of a page when nobody is signed in: says how to get in, never a blank 401. */
export function SignInGate() {
  const session = useSession();
  const pick = usePickDemoUser();
  const demoUsers = session.data?.demoUsers ?? [];
  if (demoUsers.length === 0) {
    return (
      <section className="card gate" data-testid="sign-in-gate">
        <h2>You are not signed in</h2>
        <p>
          Flightdeck takes your identity from the company’s single sign-on. Open it through the sign-on URL;
          if you did, your proxy is not passing your identity — ask the Flightdeck owners.
        </p>
      </section>
    );
  }
  return (
    <section className="card gate" data-testid="sign-in-gate">
      <h2>Sandbox: choose who you are</h2>
      <p className="muted">
        This Flightdeck runs on the sandbox (a local AWS and demo database replaying the 2026-02-03 deploy).
        Each demo user has one role: a viewer reads everything, a lead also signs off the checklist, ops also
        runs rollbacks and plays the scenario.
      </p>
      <div className="gate__users">
        {demoUsers.map((u) => (
          <button key={u.id} type="button" onClick={() => pick.mutate(u.id)} disabled={pick.isPending}>
            {u.name}
            <span className="muted small"> {u.role}</span>
          </button>
        ))}
      </div>
      {pick.isError && (
        <p className="status status--bad" role="alert">
          {pick.error.message}
        </p>
      )}
    </section>
  );
}
