import Type from 'typebox';
import { strict } from '@flightdeck/contracts';

/** `server`: where the BFF listens and what it logs. */
export const serverSection = Type.Object(
  {
    host: Type.String({ default: '127.0.0.1' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
    webDir: Type.Optional(Type.String({ description: 'Built SPA to serve (default apps/web/dist)' })),
    logLevel: Type.String({ default: 'info' }),
    publicUrl: Type.Optional(
      Type.String({
        pattern: '^https?://',
        description: 'Where people open Flightdeck (https://flightdeck.example.com): links in notifications',
      }),
    ),
  },
  strict,
);
