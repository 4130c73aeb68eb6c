export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __MONGOD__?: { stop(): Promise<unknown> } }).__MONGOD__;
  await server?.stop();
}
