import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { MONGO_DRIVER_OPTIONS } from './mongo-driver';
import { AppConfigService } from '../config/config.service';
import { connectionOptions } from './connection-options';
import { DatabaseService, resolveMongoUri } from './database.service';
import { SchemaIndexes } from './schema-indexes';

/**
 * How long an operation waits for a reachable server before it fails: a webhook then
 * answers 503 well within Svix's delivery timeout, and Svix retries later.
 */
const SERVER_SELECTION_TIMEOUT_MS = 5_000;

@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [AppConfigService],
      useFactory: async (config: AppConfigService) => {
        const { uri, stop } = await resolveMongoUri(config);
        return {
          uri,
          ...MONGO_DRIVER_OPTIONS,
          ...connectionOptions(uri, config.values.limits.databaseTimeoutMs),
          lazyConnection: true,
          serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
          // Fail fast while the server is away instead of queueing writes in memory.
          bufferCommands: false,
          autoIndex: false,
          connectionFactory: (connection: Connection) => {
            if (stop) connection.once('close', () => void stop());
            return connection;
          },
        };
      },
    }),
  ],
  providers: [DatabaseService, SchemaIndexes],
  exports: [DatabaseService],
})
export class DatabaseModule {}
