import { z } from 'zod';

/** The envelope of every Clerk event; `data` is checked per event type. */
export const ClerkEvent = z.object({
  type: z.string().min(1),
  data: z.unknown(),
  timestamp: z.number().optional(),
});
export type ClerkEvent = z.infer<typeof ClerkEvent>;

/** The `data` of a `*.deleted` event (Clerk's DeletedObjectJSON). */
export const DeletedObjectJson = z.object({ id: z.string().min(1).max(200) });
