import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { startTestApp, TestApp } from '../support/app';

/** Every index a schema declares exists once the service has started (the connection builds none by itself). */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp('schema_indexes');
});
afterAll(async () => {
  await t?.close();
});

it('each index declared on a schema is built at start, on every collection', async () => {
  const connection = t.app.get<Connection>(getConnectionToken());
  const declared = Object.values(connection.models).flatMap((model) =>
    model.schema.indexes().map(([keys]) => ({ collection: model.collection.name, keys })),
  );
  // At least the memberships' index for GET /me; a new schema's indexes are checked the same way.
  expect(declared).toContainEqual({ collection: 'organization_memberships', keys: { userId: 1, deletedAt: 1 } });
  for (const { collection, keys } of declared) {
    const built = await connection.db!.collection(collection).indexes();
    expect(built.map((index) => index.key)).toContainEqual(keys);
  }
});
