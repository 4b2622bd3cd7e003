import { ArchiveAttributes } from '../../../scripts/offline-plan/archive-file';
import { archiveFileBlocks, OFFLINE_AWS_PROVIDER_SETTINGS, offlineStackConfig, substituteInString, TerraformJson } from '../../../scripts/offline-plan/offline-stack-config';
import { OrdersPipelineStack } from '../../../stacks/orders-pipeline';
import { synthStack } from '../../support/synth';

const ATTRIBUTES: ArchiveAttributes = {
  output_path: './lambda-zips/fn.zip',
  output_base64sha256: 'q1w2+e3/r4=',
  output_sha: 'abc123',
  output_size: 1234,
};
const ARCHIVES = new Map([['fn_archive_1', ATTRIBUTES]]);

/** A stack shaped like cdktf's output, with the reference forms Terraform JSON allows. */
function stackConfig(): TerraformJson {
  return {
    '//': { metadata: { backend: 'local', stackName: 'test' } },
    data: {
      archive_file: { fn_archive_1: { output_path: '${path.module}/lambda-zips/fn.zip', source_file: 'assets/index.js', type: 'zip' } },
      aws_region: { current: {} },
    },
    provider: { archive: [{}], aws: [{ region: 'us-east-1', profile: 'prod', default_tags: [{ tags: { Stack: 'test' } }] }, { alias: 'eu', region: 'eu-west-1' }] },
    resource: {
      aws_lambda_function: {
        fn: {
          filename: '${data.archive_file.fn_archive_1.output_path}',
          source_code_hash: '${data.archive_file.fn_archive_1.output_base64sha256}',
          description: 'zip ${data.archive_file.fn_archive_1.output_sha} of ${data.archive_file.fn_archive_1.output_size} bytes',
          environment: { variables: { SIZE: '${data.archive_file.fn_archive_1.output_size}', HASH: '${upper(data.archive_file.fn_archive_1.output_sha)}' } },
          depends_on: ['data.archive_file.fn_archive_1', 'aws_iam_role.role'],
        },
      },
    },
    output: { zip: { value: '${data.archive_file.fn_archive_1.output_path}' } },
    terraform: {
      backend: { local: { path: '../../../terraform.test.tfstate' } },
      required_providers: { archive: { source: 'hashicorp/archive', version: '2.7.1' }, aws: { source: 'aws', version: '5.100.0' } },
    },
  };
}

describe('offline stack config', () => {
  const rewritten = offlineStackConfig(stackConfig(), ARCHIVES);
  const fn = (rewritten.resource as Record<string, Record<string, Record<string, unknown>>>).aws_lambda_function.fn;

  it('drops the archive data sources and keeps the others', () => {
    expect(rewritten.data).toEqual({ aws_region: { current: {} } });
  });

  it('substitutes every reference: a whole reference by the value, one inside an expression by an HCL literal', () => {
    expect(fn.filename).toBe('./lambda-zips/fn.zip');
    expect(fn.source_code_hash).toBe('q1w2+e3/r4=');
    expect(fn.description).toBe('zip ${"abc123"} of ${1234} bytes');
    expect(fn.environment).toEqual({ variables: { SIZE: 1234, HASH: '${upper("abc123")}' } });
    expect(rewritten.output).toEqual({ zip: { value: './lambda-zips/fn.zip' } });
    expect(JSON.stringify(rewritten)).not.toContain('archive_file');
  });

  it('drops depends_on entries on the resolved archives only', () => {
    expect(fn.depends_on).toEqual(['aws_iam_role.role']);
  });

  it('removes the archive provider, its requirement and the backend', () => {
    expect(rewritten.terraform).toEqual({ required_providers: { aws: { source: 'aws', version: '5.100.0' } } });
    expect(Object.keys(rewritten.provider as object)).toEqual(['aws']);
  });

  it('gives every aws provider, aliases too, fake credentials and no account look-ups, and drops real credential sources', () => {
    const [main, eu] = (rewritten.provider as { aws: Record<string, unknown>[] }).aws;
    expect(main).toEqual({ region: 'us-east-1', default_tags: [{ tags: { Stack: 'test' } }], ...OFFLINE_AWS_PROVIDER_SETTINGS });
    expect(eu).toEqual({ alias: 'eu', region: 'eu-west-1', ...OFFLINE_AWS_PROVIDER_SETTINGS });
    expect(main.skip_metadata_api_check).toBe('true'); // a string in the 5.100 schema
  });

  it('keeps the backend when asked, for `terraform init -backend=false` and `validate`', () => {
    const kept = offlineStackConfig(stackConfig(), ARCHIVES, { keepBackend: true });
    expect(kept.terraform).toEqual({ backend: { local: { path: '../../../terraform.test.tfstate' } }, required_providers: { aws: { source: 'aws', version: '5.100.0' } } });
  });

  it('does not modify its input', () => {
    const input = stackConfig();
    offlineStackConfig(input, ARCHIVES);
    expect(input).toEqual(stackConfig());
  });

  it('adds an offline aws provider block to a stack that has none', () => {
    expect(offlineStackConfig({ resource: {} }, new Map()).provider).toEqual({ aws: [OFFLINE_AWS_PROVIDER_SETTINGS] });
  });

  it('fails on what it cannot resolve instead of planning a broken copy', () => {
    expect(() => offlineStackConfig(stackConfig(), new Map())).toThrow('data.archive_file not resolved: fn_archive_1');
    expect(() => substituteInString('${data.archive_file.fn_archive_1.output_nope}', ARCHIVES)).toThrow('output_nope');
    expect(() => substituteInString('${data.archive_file.fn_archive_1}', ARCHIVES)).toThrow('cannot substitute');
    expect(() => offlineStackConfig({ resource: { archive_file: { x: {} } } }, new Map())).toThrow('resource.archive_file');
  });

  it('escapes template sequences in substituted values', () => {
    const tricky = new Map([['a', { output_path: './${odd}/%{x}"\\.zip' } as ArchiveAttributes]]);
    expect(substituteInString('${data.archive_file.a.output_path}', tricky)).toBe('./$${odd}/%%{x}"\\.zip');
    expect(substituteInString('${md5(data.archive_file.a.output_path)}', tricky)).toBe('${md5("./$${odd}/%%{x}\\"\\\\.zip")}');
  });
});

describe('offline stack config of the real orders-pipeline synth', () => {
  const { synthesized } = synthStack(OrdersPipelineStack, 'orders-pipeline');
  const config = JSON.parse(synthesized) as TerraformJson;
  const names = Object.keys(archiveFileBlocks(config));
  const archives = new Map(names.map((name) => [name, { ...ATTRIBUTES, output_path: `./lambda-zips/${name}.zip` }]));

  it('has archives to resolve (else this test proves nothing)', () => {
    expect(names.length).toBeGreaterThan(0);
  });

  it('leaves no reference to hashicorp/archive and substitutes each function zip', () => {
    const text = JSON.stringify(offlineStackConfig(config, archives));
    expect(text).not.toMatch(/archive_file|hashicorp\/archive/);
    for (const name of names) expect(text).toContain(`"filename":"./lambda-zips/${name}.zip"`);
  });
});
