export default async function globalTeardown(): Promise<void> {
  await globalThis.__POSTROOM_PG__?.stop();
}
