// First: the tracing SDK (when configured) must be running before the modules it instruments load.
import './telemetry/tracing';
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { createApp } from './app';
import { InvalidConfigError } from './config/config.schema';
import { AppConfigService } from './config/config.service';
import { DatabaseStartError } from './database/database.service';
import { checkListenAddress } from './http/port-check';

async function main(): Promise<void> {
  let app;
  try {
    app = await createApp();
  } catch (error) {
    // Operator mistakes get one clear line, not a stack trace.
    if (error instanceof InvalidConfigError || error instanceof DatabaseStartError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // SIGTERM/SIGINT: stop accepting, finish requests in flight, then close the database.
  app.enableShutdownHooks([], { useProcessExit: true });
  const { port, host } = app.get(AppConfigService).values;
  const busy = await checkListenAddress(host, port);
  if (busy) {
    process.stderr.write(`${busy}\n`);
    process.exit(1);
  }
  await app.listen({ port, host });
  const address = app.getHttpServer().address() as AddressInfo;
  new Logger('Main').log(`Listening on http://${address.address}:${address.port}`);
}

void main();
