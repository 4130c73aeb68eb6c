import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { ClerkModule } from '../clerk/clerk.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { UsersModule } from '../users/users.module';
import { MeController } from './me.controller';
import { MeService } from './me.service';
import { PATCH_ME_LIMIT } from './per-user-throttler.guard';

@Module({
  imports: [
    UsersModule,
    OrganizationsModule,
    ClerkModule,
    ThrottlerModule.forRoot({
      throttlers: [{ name: 'default', ...PATCH_ME_LIMIT }],
      errorMessage: `Too many changes: at most ${PATCH_ME_LIMIT.limit} a minute for one user; try again later`,
    }),
  ],
  controllers: [MeController],
  providers: [MeService],
})
export class MeModule {}
