import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:isPublic';

/** Routes are protected by the session guard unless marked public. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
