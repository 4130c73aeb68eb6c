import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { parseConfig } from './config.schema';
import { AppConfigService } from './config.service';

export interface AppConfigOptions {
  /** An explicit environment (tests, tools): then neither process.env nor .env is read. */
  env?: Record<string, string | undefined>;
}

@Global()
@Module({})
export class AppConfigModule {
  static forRoot(options: AppConfigOptions = {}): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: options.env !== undefined,
          ignoreEnvVars: options.env !== undefined,
          // Nested under one key: @nestjs/config copies top-level strings back into process.env.
          validate: (raw) => ({ app: parseConfig(options.env ?? raw) }),
        }),
      ],
      providers: [AppConfigService],
      exports: [AppConfigService],
    };
  }
}
