import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { ClerkOrganizationSnapshot } from '../clerk/clerk-organization.schema';
import type { VersionedRepository } from '../common/versioned-sync';
import {
  findVersion,
  findVersions,
  StoredVersion,
  upsertIfNewer,
  upsertTombstone,
  WriteResult,
} from '../common/versioned-writes';
import { Organization, ORGANIZATION_FIELDS } from './organization.schema';

/** Every query on `organizations`. */
@Injectable()
export class OrganizationsRepository implements VersionedRepository<ClerkOrganizationSnapshot> {
  constructor(@InjectModel(Organization.name) private readonly organizations: Model<Organization>) {}

  /** The live organizations among these ids. */
  findLive(ids: string[]): Promise<Organization[]> {
    return this.organizations
      .find({ _id: { $in: ids }, deletedAt: null })
      .lean<Organization[]>()
      .exec();
  }

  findVersion(id: string): Promise<StoredVersion | null> {
    return findVersion(this.organizations, id);
  }

  findVersions(ids: string[]): Promise<StoredVersion[]> {
    return findVersions(this.organizations, ids);
  }

  writeIfNewer(organization: ClerkOrganizationSnapshot, writtenBy: string): Promise<WriteResult> {
    const { id, version, publicMetadata, privateMetadata, ...fields } = organization;
    const set = {
      ...fields,
      publicMetadataJson: JSON.stringify(publicMetadata),
      privateMetadataJson: JSON.stringify(privateMetadata),
      writtenBy,
    };
    return upsertIfNewer(this.organizations, id, version, set);
  }

  tombstone(id: string, writtenBy: string): Promise<WriteResult> {
    return upsertTombstone(this.organizations, id, writtenBy, ORGANIZATION_FIELDS);
  }
}
