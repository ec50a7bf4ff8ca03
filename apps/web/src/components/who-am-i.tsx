import { useId } from 'react';
import { usePickDemoUser } from '../api/demo-users';
import { useSession } from '../api/session';

/** Who you are and your role; in sandbox mode, a picker to play any seat of the story. */
export function WhoAmI() {
  const session = useSession();
  const pick = usePickDemoUser();
  const selectId = useId();
  if (!session.data) return null;
  const { user, demoUsers } = session.data;
  return (
    <div className="who" data-testid="who-am-i">
      {user ? (
        <span>
          <span data-testid="user-name">{user.name}</span> ·{' '}
          <span className="role" data-testid="user-role">
            {user.role ?? 'no role'}
          </span>
        </span>
      ) : (
        <span className="warn">not signed in</span>
      )}
      {demoUsers.length > 0 && (
        <>
          <label htmlFor={selectId} className="sr-only">
            Demo user
          </label>
          <select
            id={selectId}
            data-testid="demo-user-picker"
            value={demoUsers.find((u) => u.name === user?.name)?.id ?? ''}
            onChange={(e) => pick.mutate(e.target.value)}
          >
            <option value="" disabled>
              Pick a demo user…
            </option>
            {demoUsers.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} — {u.role}
              </option>
            ))}
          </select>
        </>
      )}
    </div>
  );
}
