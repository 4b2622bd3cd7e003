/**
 * Checks the configuration before cdktf runs the app (`npm run synth`, `npm run cdktf`):
 * cdktf prints what a failing app wrote twice, so a configuration error is reported here,
 * once, and cdktf is not started. The app checks again for whoever runs cdktf directly.
 */
import { ConfigError, loadConfig } from '../config';

try {
  loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
