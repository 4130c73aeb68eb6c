import Ajv, { ValidateFunction } from 'ajv';
import schemas from '../fixtures/clerk/bapi/schemas.json';

/** The Backend API answers the stand-in gives, by the name Clerk's description gives their schema. */
export type ClerkAnswer =
  | 'User'
  | 'User.List'
  | 'TotalCount'
  | 'Organization'
  | 'Organizations'
  | 'OrganizationMemberships'
  | 'JWKS'
  | 'ClerkErrors';

// Clerk's description writes nullable fields as type unions.
const ajv = new Ajv({ strict: true, allowUnionTypes: true });
ajv.addSchema(schemas);
const validators = new Map<ClerkAnswer, ValidateFunction>();

/**
 * Why `body` is not an answer of this kind as Clerk's Backend API description defines it
 * (test/fixtures/clerk/bapi/schemas.json), or undefined when it is.
 */
export function offSchema(answer: ClerkAnswer, body: unknown): string | undefined {
  let validate = validators.get(answer);
  if (!validate) {
    validate = ajv.getSchema(`${schemas.$id}#/definitions/${answer}`);
    if (!validate) throw new Error(`No schema for ${answer}`);
    validators.set(answer, validate);
  }
  return validate(body) ? undefined : ajv.errorsText(validate.errors, { dataVar: answer });
}
