import { buildApp } from './app';
import { ConfigError, configHints, loadConfig, PipelineConfig } from './config';

// The cdktf app: `cdktf synth` runs this (see cdktf.json and scripts/run-app.js).
let config: PipelineConfig;
try {
  config = loadConfig();
} catch (error) {
  // `npm run synth` has reported it already (scripts/check-config.ts); this is for `cdktf synth`.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
// cdktf marks whatever an app writes to standard error as [ERROR]; a note is not one.
for (const hint of configHints(config)) console.log(`note: ${hint}`);
buildApp(config).synth();
