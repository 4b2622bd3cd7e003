/**
 * Every stack of a synthesized app (what cdktf wrote under cdktf.out, listed by its
 * manifest.json), and which of them a cross-stack reference reads. cdktf writes a reference
 * to another stack's resource as an output of the producing stack and, in the consuming
 * stack, a `data.terraform_remote_state` whose backend is the producing stack's own: the
 * producer is the stack whose state lives where that data source reads, exactly as
 * Terraform finds it, whatever the data source happens to be called.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { SynthesizedStack, type ResourceConfig } from './synthesized-stack';

export interface AppStack {
  /** The cdktf stack id (`inventory-pipeline`). */
  readonly id: string;
  /** Its directory (cdk.tf.json and its assets); relative local state paths are read from here. */
  readonly dir: string;
  readonly stack: SynthesizedStack;
}

/** A producing stack's output a consumer reads, as the producer writes it (`${aws_cognito_user_pool.pool.arn}`). */
export interface RemoteOutput {
  readonly producer: AppStack;
  readonly output: string;
  readonly expression: string;
}

export class SynthesizedApp {
  private readonly stacks: ReadonlyMap<string, AppStack>;

  constructor(stacks: readonly AppStack[]) {
    this.stacks = new Map(stacks.map((entry) => [entry.id, entry]));
  }

  /** The app cdktf wrote into `outDir` (its manifest.json names every stack's directory). */
  static read(outDir: string): SynthesizedApp {
    const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { workingDirectory: string }> };
    return new SynthesizedApp(
      Object.entries(manifest.stacks).map(([id, entry]) => {
        const dir = join(outDir, entry.workingDirectory);
        return { id, dir, stack: SynthesizedStack.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) };
      }),
    );
  }

  /**
   * The app a stack directory belongs to (`<outDir>/stacks/<id>`); a directory outside a
   * synthesized app is an app of that one stack, whose cross-stack references then fail by name.
   */
  static containing(stackDir: string): SynthesizedApp {
    const outDir = dirname(dirname(resolvePath(stackDir)));
    if (existsSync(join(outDir, 'manifest.json'))) return SynthesizedApp.read(outDir);
    const stack = SynthesizedStack.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
    return new SynthesizedApp([{ id: stackIdOf(stack) ?? stackDir, dir: resolvePath(stackDir), stack }]);
  }

  ids(): string[] {
    return [...this.stacks.keys()];
  }

  get(id: string): AppStack {
    const found = this.stacks.get(id);
    if (!found) throw new Error(`The synthesized app has no stack "${id}". Stacks: ${this.ids().join(', ')}.`);
    return found;
  }

  /** The stack whose directory this is, by path. */
  byDirectory(stackDir: string): AppStack {
    const dir = resolvePath(stackDir);
    const found = [...this.stacks.values()].find((entry) => resolvePath(entry.dir) === dir);
    if (!found) throw new Error(`${stackDir} is not a stack of the synthesized app (${this.ids().join(', ')})`);
    return found;
  }

  /** The stack a consumer's `data.terraform_remote_state.<stateName>` reads. */
  producerOf(consumer: AppStack, stateName: string): AppStack {
    const config = consumer.stack.dataSources('terraform_remote_state')[stateName];
    if (!config) throw new Error(`Stack ${consumer.id} has no data.terraform_remote_state.${stateName}`);
    const wanted = remoteStateLocation(config, consumer.dir);
    const found = [...this.stacks.values()].filter((candidate) => candidate !== consumer && stateLocation(candidate) === wanted);
    if (found.length !== 1) {
      throw new Error(
        `Stack ${consumer.id} reads the state at ${wanted} (data.terraform_remote_state.${stateName}), which ${found.length === 0 ? 'no stack' : 'more than one stack'} of the synthesized app (${this.ids().join(', ')}) keeps.`,
      );
    }
    return found[0];
  }

  /** The stacks `id` reads through cross-stack references, and those they read, producers first (the order they deploy). */
  producersOf(id: string): string[] {
    const ordered: string[] = [];
    const visit = (stackId: string, path: readonly string[]) => {
      if (path.includes(stackId)) throw new Error(`Stacks read each other in a cycle: ${[...path, stackId].join(' -> ')}`);
      const entry = this.get(stackId);
      for (const stateName of Object.keys(entry.stack.dataSources('terraform_remote_state'))) {
        const producer = this.producerOf(entry, stateName).id;
        if (!ordered.includes(producer)) visit(producer, [...path, stackId]);
      }
      if (stackId !== id && !ordered.includes(stackId)) ordered.push(stackId);
    };
    visit(id, []);
    return ordered;
  }

  /** What `${data.terraform_remote_state.<stateName>.outputs.<output>}` stands for in the producing stack. */
  remoteOutput(consumer: AppStack, stateName: string, output: string): RemoteOutput {
    const producer = this.producerOf(consumer, stateName);
    const declared = producer.stack.json.output?.[output];
    if (!declared) throw new Error(`Stack ${consumer.id} reads output ${output} of stack ${producer.id}, which has no such output.`);
    return { producer, output, expression: String(declared.value) };
  }
}

/** The stack id cdktf records in the stack's metadata. */
function stackIdOf(stack: SynthesizedStack): string | undefined {
  const metadata = (stack.json as { '//'?: { metadata?: { stackName?: string } } })['//']?.metadata;
  return metadata?.stackName;
}

/** Where a stack keeps its state, as one comparable string. */
export function stateLocation(entry: AppStack): string {
  const backend = (entry.stack.json.terraform?.backend ?? { local: {} }) as Record<string, ResourceConfig>;
  const [type, config] = Object.entries(backend)[0] ?? ['local', {}];
  return locationKey(type, config, entry.dir);
}

/** Where a `terraform_remote_state` data source reads, in the same terms as stateLocation. */
export function remoteStateLocation(config: ResourceConfig, consumerDir: string): string {
  return locationKey(String(config.backend), (config.config ?? {}) as ResourceConfig, consumerDir);
}

function locationKey(type: string, config: ResourceConfig, dir: string): string {
  switch (type) {
    case 'local':
      // Terraform's default path, relative to where it runs (the stack's directory).
      return `local:${resolvePath(dir, typeof config.path === 'string' ? config.path : 'terraform.tfstate')}`;
    case 's3':
      return `s3://${String(config.bucket)}/${String(config.key)}`;
    default:
      throw new Error(`The local runtime reads cross-stack references through local or s3 state only, not a ${type} backend.`);
  }
}
