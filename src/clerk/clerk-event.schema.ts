import { z } from 'zod';
import { clerkId, clerkTime } from './clerk-values.schema';

/** The envelope of every Clerk event; `data` is checked per event type. */
export const ClerkEvent = z.object({
  type: z.string().min(1).max(100),
  data: z.unknown(),
  timestamp: clerkTime.optional(),
});
export type ClerkEvent = z.infer<typeof ClerkEvent>;

/** The `data` of a `user.deleted` event (Clerk's DeletedObjectJSON). */
export const DeletedUserJson = z.object({ id: clerkId('user') });
