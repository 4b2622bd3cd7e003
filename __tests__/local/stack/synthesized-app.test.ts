import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { App, LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrossStackOutputs } from '../../../local/provision/cross-stack-outputs';
import { ProvisionedStack } from '../../../local/provision/provisioned-stack';
import { SynthesizedApp } from '../../../local/stack/synthesized-app';

type Backend = 'local' | 's3';

/** Keeps state as the project's stacks do: a file beside cdktf.out, or a key per stack in one bucket. */
function keepState(stack: TerraformStack, id: string, backend: Backend): void {
  if (backend === 's3') new S3Backend(stack, { bucket: 'team-state', key: `dev/${id}.tfstate`, region: 'us-east-1' });
  else new LocalBackend(stack, { path: `../../../terraform.dev.${id}.tfstate` });
}

class Producer extends TerraformStack {
  readonly pool: CognitoUserPool;
  readonly bucket: S3Bucket;
  constructor(scope: Construct, id: string, backend: Backend) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    keepState(this, id, backend);
    this.pool = new CognitoUserPool(this, 'pool', { name: 'dev-pool' });
    this.bucket = new S3Bucket(this, 'uploads', { bucketPrefix: 'dev-uploads-' });
  }
}

class Consumer extends TerraformStack {
  constructor(scope: Construct, id: string, backend: Backend, producer: Producer) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    keepState(this, id, backend);
    new SnsTopic(this, 'pool-topic', { name: 'pool', displayName: producer.pool.arn });
    new SnsTopic(this, 'bucket-topic', { name: 'bucket', displayName: producer.bucket.bucket });
  }
}

/** Synthesizes a two-stack app (a decoy stack too, reading nothing) into a fresh folder and reads it back. */
function synthesizeApp(backend: Backend): { app: SynthesizedApp; outDir: string } {
  const outDir = mkdtempSync(join(tmpdir(), 'synthesized-app-'));
  const cdktfApp = new App({ outdir: outDir });
  const producer = new Producer(cdktfApp, 'producer', backend);
  new Producer(cdktfApp, 'decoy', backend);
  new Consumer(cdktfApp, 'consumer', backend, producer);
  cdktfApp.synth();
  return { app: SynthesizedApp.read(outDir), outDir };
}

function displayNameOf(app: SynthesizedApp, topic: string): string {
  return String(app.get('consumer').stack.resource('aws_sns_topic', topic).display_name);
}

describe.each<Backend>(['local', 's3'])('cross-stack references through %s state', (backend) => {
  let app: SynthesizedApp;
  let outDir: string;
  beforeAll(() => ({ app, outDir } = synthesizeApp(backend)));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  test('the consumer reads the stack whose state its remote state names', () => {
    const consumer = app.get('consumer');
    const [stateName] = Object.keys(consumer.stack.dataSources('terraform_remote_state'));
    expect(app.producerOf(consumer, stateName).id).toBe('producer');
  });

  test("a reference resolves to the producer's output, in the producer's own local context", () => {
    const outputs = new CrossStackOutputs(app);
    const consumer = new ProvisionedStack(app.get('consumer').stack, 'eu-west-1', outputs.for('consumer'));
    const producerPoolArn = outputs.contextOf('producer').resolve('${aws_cognito_user_pool.pool.arn}');
    expect(producerPoolArn).toMatch(/^arn:aws:cognito-idp:eu-west-1:\d{12}:userpool\/eu-west-1_/);
    expect(consumer.resolve(displayNameOf(app, 'pool-topic'))).toBe(producerPoolArn);
  });

  test('a running producer resolves to what was created for it', () => {
    const outputs = new CrossStackOutputs(app);
    const producer = new ProvisionedStack(app.get('producer').stack, 'eu-west-1', outputs.for('producer'));
    producer.buckets.set('uploads', { name: 'dev-uploads-local', arn: 'arn:aws:s3:::dev-uploads-local' });
    outputs.running('producer', producer);
    const consumer = new ProvisionedStack(app.get('consumer').stack, 'eu-west-1', outputs.for('consumer'));
    expect(consumer.resolve(displayNameOf(app, 'bucket-topic'))).toBe('dev-uploads-local');
  });

  test('what only a running producer has is refused by name when the producer is not running', () => {
    const outputs = new CrossStackOutputs(app);
    const consumer = new ProvisionedStack(app.get('consumer').stack, 'eu-west-1', outputs.for('consumer'));
    expect(() => consumer.resolve(displayNameOf(app, 'bucket-topic'))).toThrow(/Stack consumer reads output .* of stack producer \(producer is not running here\)/);
  });
});

test('a stack run without its app refuses a cross-stack reference by name', () => {
  const { app, outDir } = synthesizeApp('local');
  try {
    const alone = new ProvisionedStack(app.get('consumer').stack, 'eu-west-1');
    expect(() => alone.resolve(displayNameOf(app, 'pool-topic'))).toThrow(/reads output .* of another stack \(data\.terraform_remote_state\.cross-stack-reference-input-producer\)/);
    expect(SynthesizedApp.containing(join(outDir, 'stacks', 'consumer')).ids().sort()).toEqual(['consumer', 'decoy', 'producer']);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});

test('the stacks a stack reads come first, in the order they deploy, each once', () => {
  const { app, outDir } = synthesizeApp('local');
  try {
    expect(app.producersOf('consumer')).toEqual(['producer']);
    expect(app.producersOf('producer')).toEqual([]);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
