import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import ConnectionString from 'mongodb-connection-string-url';
import type { Connection } from 'mongoose';
import { AppConfigService } from '../config/config.service';
import { startEmbeddedMongo } from './embedded-mongo';

/** Where the embedded database keeps its files between runs. */
const EMBEDDED_DB_PATH = resolve('.data', 'mongo');
const EMBEDDED_DB_NAME = 'clerk-user-sync';

export class DatabaseStartError extends Error {
  override readonly name = 'DatabaseStartError';
}

/** A driver error's message on one line, naming the variable to check (a driver dump runs to a hundred lines). */
export const oneLine = (error: unknown): string =>
  `${String((error as Error)?.message ?? error)
    .replace(/\s*\n\s*/g, ' ')
    .slice(0, 500)} (check MONGODB_URI)`;

/** The URI with its password masked: safe to log. */
export function describeMongoUri(uri: string): string {
  try {
    const cs = new ConnectionString(uri);
    if (cs.password) cs.password = '****';
    return cs.toString();
  } catch {
    return '(unparseable MongoDB URI)';
  }
}

/** Resolves the configured URI, or starts mongodb-memory-server with data under ./.data/mongo. */
export async function resolveMongoUri(config: AppConfigService): Promise<{ uri: string; stop?: () => Promise<void> }> {
  const configured = config.values.mongodbUri;
  if (configured) return { uri: configured };
  mkdirSync(EMBEDDED_DB_PATH, { recursive: true });
  try {
    const server = await startEmbeddedMongo({
      instance: { dbPath: EMBEDDED_DB_PATH, storageEngine: 'wiredTiger' },
    });
    return { uri: server.getUri(EMBEDDED_DB_NAME), stop: async () => void (await server.stop({ doCleanup: false })) };
  } catch (error) {
    // Our advice first: mongodb-memory-server's own explanation can run to many lines.
    throw new DatabaseStartError(
      'MONGODB_URI is not set and the embedded MongoDB (mongodb-memory-server) could not start.\n' +
        'Set MONGODB_URI to any running MongoDB, e.g. MONGODB_URI=mongodb://127.0.0.1:27017/clerk-user-sync npm start\n\n' +
        `mongodb-memory-server said: ${(error as Error).message}`,
    );
  }
}

@Injectable()
export class DatabaseService implements OnModuleInit {
  private readonly logger = new Logger(DatabaseService.name);

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly config: AppConfigService,
  ) {}

  /** The connection is lazy so that a failure at start gives one clear message, not a retry loop. */
  async onModuleInit(): Promise<void> {
    const configured = this.config.values.mongodbUri;
    try {
      await this.connection.asPromise();
    } catch (error) {
      const where = configured ? describeMongoUri(configured) : 'the embedded server';
      throw new DatabaseStartError(`Cannot connect to MongoDB at ${where}: ${oneLine(error)}`);
    }
    const { host, port, name } = this.connection;
    this.logger.log(
      configured
        ? `Database: ${describeMongoUri(configured)} (MONGODB_URI)`
        : `Database: embedded MongoDB (mongodb-memory-server) at ${host}:${port}/${name}, data kept in ${EMBEDDED_DB_PATH}; set MONGODB_URI to use your own`,
    );
  }
}
