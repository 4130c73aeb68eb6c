import { Injectable, Logger, OnApplicationBootstrap, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from './config.schema';

/** Typed, validated configuration. */
@Injectable()
export class AppConfigService implements OnApplicationBootstrap {
  readonly values: AppConfig;

  constructor(config: ConfigService<{ app: AppConfig }, true>) {
    this.values = config.get('app', { infer: true });
  }

  /** Development starts without Clerk's variables, but says once what will not work. */
  onApplicationBootstrap(): void {
    const missing = this.values.missingClerkVariables;
    if (missing.length) {
      new Logger('Config').warn(`Not set: ${missing.join(', ')}. The features that need them answer 503 until they are set in .env`);
    }
  }

  get clerk(): AppConfig['clerk'] {
    return this.values.clerk;
  }

  /** In development a feature whose Clerk variable is unset answers 503 naming it. */
  require<T>(value: T | undefined, variable: string, feature: string): T {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) {
      throw new ServiceUnavailableException(`${feature} is not configured: set ${variable}`);
    }
    return value;
  }
}
