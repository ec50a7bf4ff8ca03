import type { LambdaAliases } from '@flightdeck/contracts';

export function AliasesPanel({ lambda }: { lambda: LambdaAliases }) {
  return (
    <table className="table" data-testid="aliases">
      <thead>
        <tr>
          <th>Function</th>
          <th>Alias</th>
          <th>Points at</th>
          <th>Rollback target</th>
        </tr>
      </thead>
      <tbody>
        {lambda.functions.map((fn) => (
          <tr key={fn.functionName}>
            <td title={fn.functionName}>{fn.label}</td>
            <td>{fn.alias}</td>
            <td>
              {fn.aliasVersion === '$LATEST' ? (
                <span
                  className="warn"
                  title="$LATEST is not a published version: there is nothing fixed to roll back from"
                >
                  $LATEST
                </span>
              ) : (
                `v${fn.aliasVersion ?? '?'}`
              )}
            </td>
            <td>
              {fn.previousPublishedVersion ? (
                `v${fn.previousPublishedVersion}`
              ) : (
                <span className="warn">no earlier published version</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
