import { LOCAL_CREDENTIALS } from '../../../local/emulators/dynamodb-local';

/**
 * Points every AWS SDK client created afterwards at local emulators, with fake
 * credentials, through the standard variables the SDK reads: handlers need no test code.
 * Call it before importing a handler, whose clients are built at module scope.
 *
 * POWERTOOLS_DEV makes the Powertools logger write through `console`, where
 * `captureLogs()` can read it (and the test environment shows it for a failed test);
 * POWERTOOLS_SERVICE_NAME names the function in every line, as its stack does in AWS.
 *
 * @param functionName the function's name, as `lambdaContext` is given it
 */
export function useLocalAwsEnvironment(functionName: string, variables: Record<string, string>): void {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    POWERTOOLS_DEV: 'true',
    POWERTOOLS_SERVICE_NAME: functionName,
    ...variables,
  });
  // Credentials from a developer's profile must never reach an emulator test, nor a real account.
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
}

/** The fixed test credentials and region, for the tests' own SDK clients. */
export const LOCAL_CLIENT_CONFIG = {
  region: 'us-east-1',
  credentials: LOCAL_CREDENTIALS,
} as const;
