import Type, { type Static } from 'typebox';

export const RoleName = Type.Union([Type.Literal('viewer'), Type.Literal('lead'), Type.Literal('ops')]);
export type RoleName = Static<typeof RoleName>;

export const Session = Type.Object(
  {
    user: Type.Union([
      Type.Object(
        {
          name: Type.String(),
          email: Type.Union([Type.String(), Type.Null()]),
          role: Type.Union([RoleName, Type.Null()]),
          via: Type.String({ description: 'sandbox, proxy, alb or token (an API token)' }),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    authMode: Type.String(),
    csrfToken: Type.String({ description: 'Send as x-csrf-token on every change' }),
    demoUsers: Type.Array(
      Type.Object(
        { id: Type.String(), name: Type.String(), role: RoleName },
        { additionalProperties: false },
      ),
      { description: 'Sandbox mode only: the people you can be' },
    ),
  },
  { additionalProperties: false },
);
export type Session = Static<typeof Session>;

export const PickDemoUser = Type.Object(
  { user: Type.String({ minLength: 1, maxLength: 32, description: 'A demo user id from the session' }) },
  { additionalProperties: false },
);
export type PickDemoUser = Static<typeof PickDemoUser>;

export const Ok = Type.Object({ ok: Type.Literal(true) }, { additionalProperties: false });
