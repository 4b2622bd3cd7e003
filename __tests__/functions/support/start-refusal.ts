/**
 * Loads a handler module afresh with `variable` unset and expects its cold start to fail
 * with an error naming the variable; restores the variable afterwards.
 *
 * @param modulePath absolute path of the handler module (use `require.resolve`)
 */
export async function expectStartRefusedWithout(modulePath: string, variable: string): Promise<void> {
  const saved = process.env[variable];
  delete process.env[variable];
  try {
    await jest.isolateModulesAsync(async () => {
      await expect(import(modulePath)).rejects.toThrow(new RegExp(`Missing required environment variable ${variable}`));
    });
  } finally {
    process.env[variable] = saved;
  }
}
