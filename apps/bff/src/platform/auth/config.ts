import Type from 'typebox';
import { RoleName, strict } from '@flightdeck/contracts';

/** `auth`: who is asking, their role, and how many changes they may make. */
export const authSection = Type.Object(
  {
    mode: Type.Optional(
      Type.Union([Type.Literal('sandbox'), Type.Literal('proxy'), Type.Literal('alb')], {
        description:
          'Who is asking: sandbox (demo user picker, sandbox mode only), proxy (oauth2-proxy headers), alb (ALB OIDC token). Default: sandbox in sandbox mode, else required',
      }),
    ),
    proxy: Type.Object(
      {
        trustedAddresses: Type.Array(Type.String(), {
          default: ['127.0.0.1', '::1'],
          description: 'Addresses or CIDRs of the proxies whose identity headers are believed',
        }),
        userHeader: Type.String({ default: 'x-forwarded-user' }),
        emailHeader: Type.String({ default: 'x-forwarded-email' }),
        groupsHeader: Type.String({ default: 'x-forwarded-groups' }),
      },
      strict,
    ),
    alb: Type.Object(
      {
        signerArn: Type.Optional(
          Type.String({ description: 'ARN of the load balancer that signs x-amzn-oidc-data' }),
        ),
        issuer: Type.Optional(
          Type.String({ description: 'The OIDC issuer the load balancer signs in with (iss claim)' }),
        ),
        clientId: Type.Optional(
          Type.String({ description: 'The OIDC client id configured on the load balancer' }),
        ),
        publicKeysUrl: Type.Optional(
          Type.String({
            description:
              'Where signing keys are fetched (<url>/<kid>); default the region’s https://public-keys.auth.elb.<region>.amazonaws.com',
          }),
        ),
      },
      strict,
    ),
    roles: Type.Array(
      Type.Object(
        {
          role: RoleName,
          emails: Type.Array(Type.String(), { default: [] }),
          groups: Type.Array(Type.String(), { default: [] }),
          environments: Type.Optional(
            Type.Array(Type.String(), { description: 'Only in these environments (default: all)' }),
          ),
        },
        strict,
      ),
      { default: [] },
    ),
    defaultRole: Type.Union([Type.Literal('viewer'), Type.Literal('none')], {
      default: 'viewer',
      description: 'Role of a signed-in person no rule names',
    }),
    secret: Type.Optional(
      Type.String({
        minLength: 32,
        description: 'Signs cookies and CSRF tokens; random per start if absent',
      }),
    ),
    mutationsPerMinute: Type.Integer({
      minimum: 1,
      default: 30,
      description: 'Changes per minute per signed-in person (and per API token)',
    }),
    tokens: Type.Object(
      {
        maxDays: Type.Integer({
          minimum: 1,
          default: 365,
          description: 'The longest an API token may live, in days (POST /api/v1/tokens expiresInDays)',
        }),
      },
      strict,
    ),
  },
  strict,
);
