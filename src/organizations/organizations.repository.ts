import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { ClerkOrganizationSnapshot } from '../clerk/clerk-organization.schema';
import { ClerkObjectRepository } from '../sync/clerk-object.repository';
import { metadataFields } from '../sync/clerk-object.statements';
import { Organization, ORGANIZATION_FIELDS } from './organization.schema';

/** Every query on `organizations`. */
@Injectable()
export class OrganizationsRepository extends ClerkObjectRepository<ClerkOrganizationSnapshot, Organization> {
  constructor(@InjectModel(Organization.name) organizations: Model<Organization>) {
    super(organizations, ORGANIZATION_FIELDS);
  }

  /** The live organizations among these ids. */
  findLive(ids: string[]): Promise<Organization[]> {
    return this.documents.find({ _id: { $in: ids }, deletedAt: null }).toArray();
  }

  protected fieldsOf(organization: ClerkOrganizationSnapshot) {
    const { id: _id, version: _version, publicMetadata, privateMetadata, ...fields } = organization;
    return { set: { ...fields, ...metadataFields(publicMetadata, privateMetadata) } };
  }
}
