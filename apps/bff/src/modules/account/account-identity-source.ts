import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';

export interface CallerIdentity {
  account: string;
  arn: string;
  /** The role (or user) the credentials act as, read from the ARN. */
  role: string;
}

/** arn:aws:sts::123:assumed-role/Flightdeck/session → Flightdeck; arn:aws:iam::123:user/x → x. */
export function roleFromArn(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const [kind, name] = resource.split('/');
  return kind === 'assumed-role' || kind === 'role' || kind === 'user' ? (name ?? resource) : resource;
}

/** Which account and role the configured credentials really reach: STS GetCallerIdentity. */
export class AccountIdentitySource {
  constructor(private readonly sts: STSClient) {}

  async fetch(): Promise<CallerIdentity> {
    const out = await this.sts.send(new GetCallerIdentityCommand({}));
    const arn = out.Arn ?? '';
    return { account: out.Account ?? '', arn, role: roleFromArn(arn) };
  }
}
