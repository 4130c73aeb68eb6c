import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module';
import { UsersModule } from '../users/users.module';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';
import { ProfilesController } from './profiles.controller';
import { ProfilesService } from './profiles.service';

/** The directory: organizations' member lists and other users' public profiles, read from what is synced. */
@Module({
  imports: [UsersModule, OrganizationsModule],
  controllers: [MembersController, ProfilesController],
  providers: [MembersService, ProfilesService],
})
export class DirectoryModule {}
