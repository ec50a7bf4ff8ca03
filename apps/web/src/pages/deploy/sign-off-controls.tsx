import { useState } from 'react';
import type { ChecklistItem } from '@flightdeck/contracts';
import { useDeployActions } from '../../api/deploys';

/**
 * A lead's sign-off (comment required) or revocation (reason required) of one manual item. The
 * server has the last word (the preparer may not sign off, a sign-off stands once): its refusal is shown.
 */
export function SignOffControls({ deployId, item }: { deployId: string; item: ChecklistItem }) {
  const actions = useDeployActions();
  const [text, setText] = useState('');
  const signedOff = item.state === 'signed-off';
  const mutation = signedOff ? actions.revoke : actions.signOff;
  const label = signedOff ? 'Revoke' : 'Sign off';
  const submit = () => {
    const onSuccess = () => setText('');
    if (signedOff) actions.revoke.mutate({ deployId, itemId: item.id, reason: text }, { onSuccess });
    else actions.signOff.mutate({ deployId, itemId: item.id, comment: text }, { onSuccess });
  };
  return (
    <form
      className="sign-off"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <input
        data-testid={`${signedOff ? 'revoke-reason' : 'sign-off-comment'}-${item.id}`}
        aria-label={signedOff ? `Why revoke ${item.title}` : `Comment for ${item.title}`}
        placeholder={signedOff ? 'Reason (required)' : 'Comment (required)'}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />{' '}
      <button
        type="submit"
        className={signedOff ? 'danger' : undefined}
        data-testid={`${signedOff ? 'revoke' : 'sign-off'}-${item.id}`}
        disabled={text.trim() === '' || mutation.isPending}
        title={text.trim() === '' ? (signedOff ? 'Say why' : 'Say what you checked') : undefined}
      >
        {label}
      </button>
      {mutation.isError && (
        <p className="status status--bad small" role="alert" data-testid={`sign-off-error-${item.id}`}>
          {mutation.error.message}
        </p>
      )}
    </form>
  );
}
