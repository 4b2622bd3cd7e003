import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { App } from 'cdktf';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { PipelineConfig } from '../../config';
import { SynthesizedStack } from '../../local/stack/synthesized-stack';
import { DashboardStack } from '../../stacks/dashboard';
import { PipelineStack } from '../../stacks/pipeline-stack';
import { fakeAwsAttributes } from './fake-aws';
import { TEST_CONFIG } from './synth';

/**
 * What the dashboard reads from the stacks before it, in one stack of its own: the pool and
 * its domain, the upload bucket, and two APIs' ids and stages, with the shapes the inventory
 * and report stacks give them. The dashboard's tests so depend on those shapes only.
 */
class ProducerStack extends PipelineStack {
  readonly userPool: { pool: CognitoUserPool; domain: CognitoUserPoolDomain };
  readonly uploadBucket: S3Bucket;

  constructor(scope: Construct, id: string, config: PipelineConfig) {
    super(scope, id, config);
    const pool = new CognitoUserPool(this, 'pool', { name: 'test-inventory-users' });
    const domain = new CognitoUserPoolDomain(this, 'domain', { domain: 'test-inventory-0123456789', userPoolId: pool.id });
    this.userPool = { pool, domain };
    this.uploadBucket = new S3Bucket(this, 'uploads', { bucket: 'test-inventory-upload-x' });
  }
}

export const PRODUCER_STACK = 'producer';

// Loaded by each test file that synthesizes, so this runs after that file's tests.
const synthesizedDirs: string[] = [];
afterAll(() => {
  for (const dir of synthesizedDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const REMOTE_OUTPUT = /\$\{data\.terraform_remote_state\.cross-stack-reference-input-([A-Za-z0-9-]+)\.outputs\.([A-Za-z0-9_-]+)\}/g;

/**
 * The dashboard stack synthesized as cdktf would, reading a producer stack through cross-stack
 * references (which only a whole app's synth writes: outputs in the producer, remote state in
 * the consumer), into a folder of its own, removed after the test file's last test.
 */
export function synthDashboard(config: PipelineConfig = TEST_CONFIG) {
  const outdir = mkdtempSync(join(tmpdir(), 'dashboard-synth-'));
  synthesizedDirs.push(outdir);
  const app = new App({ outdir });
  const producer = new ProducerStack(app, PRODUCER_STACK, config);
  const dashboard = new DashboardStack(app, 'dashboard', config, {
    userPool: producer.userPool,
    uploadBucket: { name: producer.uploadBucket.bucket },
    inventoryApi: { restApiId: 'inv4p1d000', stageName: 'v1' },
    reportApi: { restApiId: 'rep0rt1d00', stageName: 'v1' },
  });
  app.synth();
  const read = (stackId: string) => readFileSync(join(outdir, 'stacks', stackId, 'cdk.tf.json'), 'utf8');
  const synthesized = read('dashboard');
  const stack = SynthesizedStack.parse(synthesized);
  const producerStack = SynthesizedStack.parse(read(PRODUCER_STACK));
  const attributes = fakeAwsAttributes(stack.region);
  return {
    dashboard,
    /** The stack's folder, with its assets, as Terraform would run in it. */
    stackDir: join(outdir, 'stacks', 'dashboard'),
    synthesized,
    stack,
    producer: producerStack,
    /**
     * Resolves a string of the dashboard stack to fake values as after apply: a cross-stack
     * input through the producer's output, anything else through fakeAwsAttributes.
     */
    resolve(text: string): string {
      const throughProducer = text.replace(REMOTE_OUTPUT, (_match, stackId: string, output: string) => {
        if (stackId !== PRODUCER_STACK) throw new Error(`A cross-stack reference to an unknown stack ${stackId}`);
        const value = producerStack.json.output?.[output]?.value;
        if (typeof value !== 'string') throw new Error(`The producer has no output ${output}`);
        return producerStack.resolve(value, attributes);
      });
      return stack.resolve(throughProducer, attributes);
    },
  };
}
