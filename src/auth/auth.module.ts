import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ClerkModule } from '../clerk/clerk.module';
import { RequestLog } from '../http/request-log';
import { AuthService } from './auth.service';
import { ClerkAuthGuard } from './clerk-auth.guard';

@Module({
  imports: [ClerkModule],
  providers: [AuthService, RequestLog, { provide: APP_GUARD, useClass: ClerkAuthGuard }],
  exports: [AuthService],
})
export class AuthModule {}
