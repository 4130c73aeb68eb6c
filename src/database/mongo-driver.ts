import * as os from 'node:os';
import type { MongoClientOptions } from 'mongodb';

/**
 * Options every MongoDB client of this project passes (the service's connection, the tests, the
 * benchmark). The driver (7.6 and later) loads `os` through a dynamic `import()` to describe
 * itself in the connection handshake; inside Jest's module sandbox that import fails and the
 * driver sends an empty `client` document, which a real `mongod` refuses ("Missing required
 * sub-document 'driver' in the client metadata document"). Handing it `os` directly avoids the
 * import. Drop this once the driver no longer needs it under Jest (driver change NODE-7385,
 * typegoose/mongodb-memory-server#1026); `test/database/handshake.e2e-spec.ts` tells when.
 */
export const MONGO_DRIVER_OPTIONS = { runtimeAdapters: { os } } satisfies MongoClientOptions;
