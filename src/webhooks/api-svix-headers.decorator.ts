import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

const HEADERS = [
  ['id', 'The message id'],
  ['timestamp', 'Epoch seconds, within 5 minutes of now'],
  [
    'signature',
    'The signatures, space-separated (v1,<base64 HMAC-SHA256>, one per secret: at most 10, in at most 1024 characters)',
  ],
] as const;

/**
 * The signature headers, under both names: `svix-*`, or their Standard Webhooks names
 * `webhook-*`, as the svix package accepts them (the svix name wins when both are sent).
 */
export function ApiSvixHeaders(): MethodDecorator {
  return applyDecorators(
    ...HEADERS.map(([field, description]) =>
      ApiHeader({
        name: `svix-${field}`,
        required: false,
        description: `${description}; or send it as webhook-${field}`,
      }),
    ),
    ...HEADERS.map(([field]) =>
      ApiHeader({ name: `webhook-${field}`, required: false, description: `Standard Webhooks name of svix-${field}` }),
    ),
  );
}
