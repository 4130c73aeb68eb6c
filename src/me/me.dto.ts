import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
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
}

export class MeDto {
  @ApiProperty({ example: 'user_2abc' }) userId: string;
  @ApiProperty({ type: String, nullable: true, example: 'sess_2abc' }) sessionId: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) orgId: string | null;
  @ApiProperty({ type: ProfileDto }) profile: ProfileDto;
  @ApiProperty({
    type: [MeOrganizationDto],
    description: "The user's live memberships of live organizations, by name",
  })
  organizations: MeOrganizationDto[];
}

export class FavoriteColorDto {
  @ApiProperty({ enum: FAVORITE_COLORS }) payload: FavoriteColor;
  @ApiProperty({ example: 'Your favorite color is RED' }) message: string;
}
