import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UsersModule } from '../users/users.module';
import { Membership, MembershipSchema } from './membership.schema';
import { MembershipsRepository } from './memberships.repository';
import { Organization, OrganizationSchema } from './organization.schema';
import { OrganizationsRepository } from './organizations.repository';
import { OrganizationsSyncService } from './organizations-sync.service';
import { UserOrganizationsService } from './user-organizations.service';

@Module({
  imports: [
    UsersModule,
    MongooseModule.forFeature([
      { name: Organization.name, schema: OrganizationSchema },
      { name: Membership.name, schema: MembershipSchema },
    ]),
  ],
  providers: [OrganizationsRepository, MembershipsRepository, OrganizationsSyncService, UserOrganizationsService],
  exports: [OrganizationsSyncService, UserOrganizationsService, OrganizationsRepository, MembershipsRepository],
})
export class OrganizationsModule {}
