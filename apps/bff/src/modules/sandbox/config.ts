import Type from 'typebox';
import { strict } from '@flightdeck/contracts';

/** `sandbox`: the ports of the local AWS and demo database (sandbox mode only). */
export const sandboxSection = Type.Object(
  {
    awsPort: Type.Integer({ minimum: 0, maximum: 65535, default: 4566 }),
    dbPort: Type.Integer({ minimum: 0, maximum: 65535, default: 54329 }),
  },
  strict,
);
