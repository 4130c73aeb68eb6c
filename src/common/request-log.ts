import { Injectable, Logger } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AppConfigService } from '../config/config.service';
import { logFormat } from './logger.options';

type Level = 'log' | 'warn';

/**
 * What a request did, in its log: the facts (a webhook's type, object and outcome) join the
 * request's own line, which pino-http writes when the answer is sent. JSON logs also keep a line
 * of their own for them (`"msg":"Webhook delivery"`, what operators search for); pretty logs do
 * not, so that a person at a terminal reads one line per request.
 */
@Injectable()
export class RequestLog {
  private readonly ownLine: boolean;

  constructor(
    private readonly pino: PinoLogger,
    config: AppConfigService,
  ) {
    this.ownLine = logFormat(config.values) === 'json';
  }

  record(logger: Logger, level: Level, fields: Record<string, unknown>, message: string): void {
    try {
      this.pino.assign(fields);
    } catch {
      // Outside a request (a provider called directly): there is no request line to join.
    }
    if (this.ownLine) logger[level](fields, message);
  }
}
