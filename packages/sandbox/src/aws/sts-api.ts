import { accountId } from '../story.js';
import type { QueryService } from './query-service.js';

export function stsService(): QueryService {
  return {
    service: 'STS',
    version: '2011-06-15',
    xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
    operations: {
      GetCallerIdentity: () => ({
        UserId: 'AIDASANDBOXFLIGHTDECK01',
        Account: accountId,
        Arn: `arn:aws:iam::${accountId}:user/flightdeck-sandbox`,
      }),
    },
  };
}
