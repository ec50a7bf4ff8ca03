import Type from 'typebox';
import { strict } from '@flightdeck/contracts';

/** `rollbacks`: how restores are followed and how the frontend is redeployed. */
export const rollbacksSection = Type.Object(
  {
    pollMs: Type.Integer({
      minimum: 100,
      default: 15000,
      description: 'How often a running restore is followed with DescribeDBInstances',
    }),
    frontend: Type.Optional(
      Type.Object(
        {
          command: Type.Optional(
            Type.Array(Type.String(), {
              minItems: 1,
              description:
                'Redeploys the frontend: an argument list (never a shell string); "{ref}" is replaced by the baseline tag',
            }),
          ),
          webhookUrl: Type.Optional(
            Type.String({ description: 'Or: POSTed {"ref": …}; its answer is kept as the output' }),
          ),
          name: Type.String({ default: 'frontend', description: 'What the operator types to confirm' }),
        },
        strict,
      ),
    ),
  },
  strict,
);
