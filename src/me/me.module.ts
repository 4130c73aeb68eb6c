import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { ClerkModule } from '../clerk/clerk.module';
import { UsersModule } from '../users/users.module';
import { MeController } from './me.controller';
import { MeService } from './me.service';

@Module({
  imports: [UsersModule, ClerkModule, ThrottlerModule.forRoot([{ name: 'default', limit: 60, ttl: 60_000 }])],
  controllers: [MeController],
  providers: [MeService],
})
export class MeModule {}
