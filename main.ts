import { buildApp } from './app';
import { ConfigError, configHints, loadConfig, PipelineConfig } from './config';

// The cdktf app: `cdktf synth` runs this (see cdktf.json and scripts/run-app.js).
let config: PipelineConfig;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
for (const hint of configHints(config)) console.error(`note: ${hint}`);
buildApp(config).synth();
