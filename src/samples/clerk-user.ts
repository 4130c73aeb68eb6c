import { randomBytes } from 'node:crypto';

/**
 * Realistic Clerk payloads (the user JSON of webhooks and the Backend API), with overrides, for
 * `npm run webhook:send` and the tests.
 */
export const newUserId = () => `user_${randomBytes(12).toString('hex')}`;

export interface ClerkUserOptions {
  id?: string;
  emails?: string[];
  /** Index into emails of the primary one; null for none. */
  primary?: number | null;
  firstName?: string | null;
  lastName?: string | null;
  username?: string | null;
  /** The primary phone number; none when absent. */
  phone?: string;
  createdAt?: number;
  updatedAt?: number;
  extra?: Record<string, unknown>;
}

/** Clerk's user JSON as a webhook's `data` or the Backend API carries it. */
export function clerkUser(
  options: ClerkUserOptions = {},
): Record<string, unknown> & { id: string; updated_at: number } {
  const id = options.id ?? newUserId();
  const createdAt = options.createdAt ?? 1_700_000_000_000;
  const verified = (strategy: string) => ({
    object: 'verification_otp',
    status: 'verified',
    strategy,
    attempts: 1,
    expire_at: null,
  });
  const emails = (options.emails ?? [`${id}@example.test`]).map((address, index) => ({
    id: `idn_${id.slice(5, 15)}_${index}`,
    object: 'email_address',
    email_address: address,
    reserved: false,
    verification: verified('email_code'),
    linked_to: [],
    created_at: createdAt,
    updated_at: createdAt,
  }));
  const phones =
    options.phone === undefined
      ? []
      : [
          {
            id: `idn_${id.slice(5, 15)}_phone`,
            object: 'phone_number',
            phone_number: options.phone,
            reserved_for_second_factor: false,
            default_second_factor: false,
            reserved: false,
            verification: verified('phone_code'),
            linked_to: [],
            backup_codes: null,
            created_at: createdAt,
            updated_at: createdAt,
          },
        ];
  const primaryIndex = options.primary === undefined ? 0 : options.primary;
  // Every field Clerk's User schema requires (Backend API version 2026-05-12).
  return {
    id,
    object: 'user',
    external_id: null,
    username: options.username === undefined ? null : options.username,
    first_name: options.firstName === undefined ? 'Ada' : options.firstName,
    last_name: options.lastName === undefined ? 'Lovelace' : options.lastName,
    image_url: `https://img.clerk.com/${id}.png`,
    has_image: false,
    primary_email_address_id: primaryIndex === null ? null : (emails[primaryIndex]?.id ?? null),
    primary_phone_number_id: phones[0]?.id ?? null,
    primary_web3_wallet_id: null,
    email_addresses: emails,
    phone_numbers: phones,
    web3_wallets: [],
    passkeys: [],
    external_accounts: [],
    saml_accounts: [],
    enterprise_accounts: [],
    public_metadata: {},
    private_metadata: {},
    unsafe_metadata: {},
    password_enabled: true,
    two_factor_enabled: false,
    totp_enabled: false,
    backup_code_enabled: false,
    mfa_enabled_at: null,
    mfa_disabled_at: null,
    banned: false,
    locked: false,
    lockout_expires_in_seconds: null,
    verification_attempts_remaining: null,
    delete_self_enabled: true,
    create_organization_enabled: true,
    create_organizations_limit: null,
    created_at: createdAt,
    updated_at: options.updatedAt ?? createdAt,
    last_sign_in_at: null,
    last_active_at: null,
    legal_accepted_at: null,
    ...options.extra,
  };
}

export function userEvent(type: 'user.created' | 'user.updated', user: Record<string, unknown>) {
  return { data: user, object: 'event', type, timestamp: Date.now(), instance_id: 'ins_test' };
}

export function deletedEvent(userId: string) {
  return {
    data: { deleted: true, id: userId, object: 'user' },
    object: 'event',
    type: 'user.deleted',
    timestamp: Date.now(),
  };
}
