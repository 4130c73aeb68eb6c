import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { FAVORITE_COLORS, FavoriteColor } from '../users/user.schema';

export class UpdateMeDto {
  @ApiProperty({ enum: FAVORITE_COLORS })
  @IsIn(FAVORITE_COLORS, { message: `favoriteColor must be one of ${FAVORITE_COLORS.join(', ')}` })
  favoriteColor: FavoriteColor;
}

export class ProfileDto {
  @ApiProperty({ example: 'user_2abc' }) id: string;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) phoneNumber: string | null;
  @ApiProperty({ type: String, nullable: true }) firstName: string | null;
  @ApiProperty({ type: String, nullable: true }) lastName: string | null;
  @ApiProperty({ type: String, nullable: true }) username: string | null;
  @ApiProperty({ type: String, nullable: true }) imageUrl: string | null;
  @ApiProperty({ type: String, nullable: true }) externalId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "Clerk's public_metadata" })
  publicMetadata: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSignInAt: string | null;
  @ApiProperty({ enum: FAVORITE_COLORS }) favoriteColor: FavoriteColor;
  @ApiProperty({ type: String, format: 'date-time', description: "When the user signed up: Clerk's created_at" })
  createdAt: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    description: "When the user last changed in Clerk: Clerk's updated_at",
  })
  updatedAt: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'When this service last wrote the profile' })
  syncedAt: string;
}

export class MeOrganizationDto {
  @ApiProperty({ example: 'org_2abc' }) id: string;
  @ApiProperty({ example: 'Acme' }) name: string;
  @ApiProperty({ type: String, nullable: true }) slug: string | null;
  @ApiProperty({ type: String, nullable: true }) imageUrl: string | null;
  @ApiProperty({ example: 'org:admin' }) role: string;
  @ApiProperty({
    type: [String],
    example: ['org:sys_memberships:read'],
    description: "Clerk's permissions of the user's role in the organization",
  })
  permissions: string[];
}

export class MeDto {
  @ApiProperty({ example: 'user_2abc' }) userId: string;
  @ApiProperty({ type: String, nullable: true, example: 'sess_2abc' }) sessionId: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) orgId: string | null;
  @ApiProperty({ type: ProfileDto }) profile: ProfileDto;
  @ApiProperty({
    type: [MeOrganizationDto],
    description: "The user's live memberships of live organizations, by name: at most 100",
  })
  organizations: MeOrganizationDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Null, or the cursor that continues the organizations: GET /me/organizations?after=',
  })
  organizationsNext: string | null;
}

/** The organizations after a cursor. */
export class MeOrganizationsQueryDto {
  @ApiPropertyOptional({ description: "/me's `organizationsNext`, or a page's `next` (opaque)" })
  @IsOptional()
  @IsString({ message: 'after must be a cursor from /me or a page before' })
  @MaxLength(1_000, { message: 'after must be a cursor from /me or a page before' })
  after?: string;
}

export class MeOrganizationPageDto {
  @ApiProperty({ type: [MeOrganizationDto] }) data: MeOrganizationDto[];
  @ApiProperty({ type: String, nullable: true, description: 'The cursor of the following page, or null' })
  next: string | null;
}

export class FavoriteColorDto {
  @ApiProperty({ enum: FAVORITE_COLORS }) payload: FavoriteColor;
  @ApiProperty({ example: 'Your favorite color is RED' }) message: string;
}
