import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from './app-config';
import { FeatureNotConfiguredError } from './feature-not-configured.error';

/** Typed, validated configuration. */
@Injectable()
export class AppConfigService {
  readonly values: AppConfig;

  constructor(config: ConfigService<{ app: AppConfig }, true>) {
    this.values = config.get('app', { infer: true });
  }

  get clerk(): AppConfig['clerk'] {
    return this.values.clerk;
  }

  /** In development a feature whose Clerk variable is unset throws, and the request answers 503 naming it. */
  require<T>(value: T | undefined, variable: string, feature: string): T {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) {
      throw new FeatureNotConfiguredError(feature, variable);
    }
    return value;
  }
}
