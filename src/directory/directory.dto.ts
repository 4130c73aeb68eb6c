import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** A page of members: `limit` and the cursor of the page before. */
export class MemberPageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Members per page, 1 to 100',
    default: 20,
    minimum: 1,
    maximum: 100,
  })
  @IsOptional()
  @Matches(/^(100|[1-9][0-9]?)$/, { message: 'limit must be a whole number from 1 to 100' })
  limit?: string;

  @ApiPropertyOptional({ description: 'The `next` cursor of the page before (opaque: pass it back as it came)' })
  @IsOptional()
  @IsString({ message: 'after must be a cursor from a page before' })
  @MaxLength(1_000, { message: 'after must be a cursor from a page before' })
  after?: string;
}

export class MemberDto {
  @ApiProperty({ example: 'user_2abc' }) userId: string;
  @ApiProperty({ type: String, nullable: true }) firstName: string | null;
  @ApiProperty({ type: String, nullable: true }) lastName: string | null;
  @ApiProperty({ type: String, nullable: true }) username: string | null;
  @ApiProperty({ type: String, nullable: true }) imageUrl: string | null;
  @ApiProperty({
    example: 'ada@example.com',
    description: 'What Clerk shows for the member: its primary email, else phone, else username',
  })
  identifier: string;
  @ApiProperty({ example: 'org:member' }) role: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'When the membership was created in Clerk' })
  joinedAt: string;
}

export class MemberPageDto {
  @ApiProperty({ type: [MemberDto] }) data: MemberDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The cursor of the following page (`?after=`), or null on the last page',
  })
  next: string | null;
}

/** Which profiles: `?id=a&id=b`, 1 to 100 ids. */
export class ProfilesQueryDto {
  @ApiProperty({ type: [String], description: 'User ids, 1 to 100 (repeat the parameter: ?id=a&id=b)' })
  @IsOptional()
  @IsString({ each: true, message: 'id must be user ids' })
  id?: string | string[];
}

/** A user's public profile: what any user allowed to see it may see. */
export class PublicProfileDto {
  @ApiProperty({ example: 'user_2abc' }) id: string;
  @ApiProperty({ type: String, nullable: true }) firstName: string | null;
  @ApiProperty({ type: String, nullable: true }) lastName: string | null;
  @ApiProperty({ type: String, nullable: true }) username: string | null;
  @ApiProperty({ type: String, nullable: true }) imageUrl: string | null;
}

export class PublicProfilesDto {
  @ApiProperty({ type: [PublicProfileDto], description: 'The visible ones, in the order asked' })
  data: PublicProfileDto[];
}
