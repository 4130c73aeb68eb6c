import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { AppConfigService } from '../config/config.service';
import { DatabaseStartError, describeMongoUri, oneLine } from './database.service';

/**
 * Builds the indexes every schema declares, for every model of the connection, once at start:
 * the connection runs with `autoIndex: false`, so that no index build starts behind a request,
 * and a schema's index exists without its repository having to remember it. A failure (a write
 * concern the servers cannot satisfy, missing privileges) stops the start with one line.
 */
@Injectable()
export class SchemaIndexes implements OnApplicationBootstrap {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly config: AppConfigService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await Promise.all(Object.values(this.connection.models).map((model) => model.createIndexes()));
    } catch (error) {
      const uri = this.config.values.mongodbUri;
      const where = uri ? describeMongoUri(uri) : 'the embedded server';
      throw new DatabaseStartError(`Cannot build the database's indexes at ${where}: ${oneLine(error)}`);
    }
  }
}
