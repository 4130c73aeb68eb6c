import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

/**
 * Builds the indexes every schema declares, for every model of the connection, once at start:
 * the connection runs with `autoIndex: false`, so that no index build starts behind a request,
 * and a schema's index exists without its repository having to remember it.
 */
@Injectable()
export class SchemaIndexes implements OnApplicationBootstrap {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(Object.values(this.connection.models).map((model) => model.createIndexes()));
  }
}
