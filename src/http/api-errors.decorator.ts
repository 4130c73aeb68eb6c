import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

/** Every error answer's body (HttpErrorFilter). */
class ErrorDto {
  @ApiProperty({ example: 401 }) statusCode: number;
  @ApiProperty({ example: 'Unauthorized', description: "The status's name" }) error: string;
  @ApiProperty({ example: 'The session token has expired', description: 'What was wrong, for a person' })
  message: string;
}

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } },
};

const AUTH_REASON = {
  'x-clerk-auth-reason': {
    description: "Clerk's reason for refusing the session (token-expired, session-token-missing, …)",
    schema: { type: 'string' },
  },
};

/** The error answers a route can give, each with the error body (`Retry-After` on 429 and 503, Clerk's reason on 401). */
export function ApiErrors(errors: Record<number, string>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...Object.entries(errors).map(([status, description]) =>
      ApiResponse({
        status: Number(status),
        description,
        type: ErrorDto,
        ...(status === '429' || status === '503' ? { headers: RETRY_AFTER } : {}),
        ...(status === '401' ? { headers: AUTH_REASON } : {}),
      }),
    ),
  );
}
