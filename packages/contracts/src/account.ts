import Type, { type Static } from 'typebox';

/** Which AWS account Flightdeck is looking at, and whether it is the one config expects. */
export const AccountCheck = Type.Object(
  {
    status: Type.Union([
      Type.Literal('checking'),
      Type.Literal('ok'),
      Type.Literal('mismatch'),
      Type.Literal('error'),
    ]),
    account: Type.Union([Type.String(), Type.Null()]),
    expectedAccount: Type.Union([Type.String(), Type.Null()]),
    region: Type.String(),
    role: Type.Union([Type.String(), Type.Null()]),
    arn: Type.Union([Type.String(), Type.Null()]),
    checkedAt: Type.Union([Type.String(), Type.Null()]),
    message: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type AccountCheck = Static<typeof AccountCheck>;
