import { join } from 'node:path';

/** The only provider the offline plan installs: the version @cdktf/provider-aws 20.1.0 binds. */
export const AWS_PROVIDER = { source: 'registry.terraform.io/hashicorp/aws', version: '5.100.0' } as const;

/** Places where machines commonly keep a provider mirror, searched in this order. */
export function wellKnownMirrors(home: string): string[] {
  return ['/opt/tf-plugins', join(home, '.terraform.d', 'plugins'), '/usr/share/terraform/plugins', '/usr/local/share/terraform/plugins'];
}

/** Terraform's platform name, e.g. linux_amd64, as mirror directories are laid out. */
export function terraformPlatform(platform: string = process.platform, arch: string = process.arch): string {
  const os = platform === 'win32' ? 'windows' : platform;
  const cpu = ({ x64: 'amd64', ia32: '386', arm: 'arm' } as Record<string, string>)[arch] ?? arch;
  return `${os}_${cpu}`;
}

/** Where the aws provider sits inside a mirror, in the unpacked and the packed layouts Terraform reads. */
export function providerPathsIn(mirror: string, platform: string): string[] {
  const [hostname, namespace, type] = AWS_PROVIDER.source.split('/');
  const providerDir = join(mirror, hostname, namespace, type);
  return [join(providerDir, AWS_PROVIDER.version, platform), join(providerDir, `terraform-provider-${type}_${AWS_PROVIDER.version}_${platform}.zip`)];
}

export interface MirrorLookup {
  /** TF_PROVIDER_MIRROR, if set: then it is the only place looked at. */
  override?: string;
  home: string;
  platform: string;
  exists: (path: string) => boolean;
}

/**
 * The filesystem mirror that holds hashicorp/aws 5.100.0 for this platform. An explicit
 * TF_PROVIDER_MIRROR that lacks it is an error rather than a reason to look elsewhere, so a
 * typo never silently picks another mirror.
 */
export function findProviderMirror(lookup: MirrorLookup): string {
  const candidates = lookup.override ? [lookup.override] : wellKnownMirrors(lookup.home);
  const found = candidates.find((mirror) => providerPathsIn(mirror, lookup.platform).some(lookup.exists));
  if (found) return found;
  const wanted = `${AWS_PROVIDER.source}/${AWS_PROVIDER.version}/${lookup.platform}/terraform-provider-aws_v${AWS_PROVIDER.version}_x5`;
  const where = lookup.override ? `TF_PROVIDER_MIRROR=${lookup.override}` : `any of ${candidates.join(', ')}`;
  throw new Error(
    `hashicorp/aws ${AWS_PROVIDER.version} for ${lookup.platform} was not found in ${where}.\n` +
      `An offline plan needs a Terraform filesystem mirror containing <mirror>/${wanted}.\n` +
      'Point at one with TF_PROVIDER_MIRROR=/path/to/mirror npm run plan:offline, or fill a mirror with ' +
      '`terraform providers mirror <dir>` on a machine with internet access.',
  );
}

// HCL strings are templates too: a "${" in a path must be escaped.
function hclString(value: string): string {
  // A function replacer: in a replacement string "$$" would mean a single "$".
  return JSON.stringify(value).replace(/\$\{/g, () => '$${').replace(/%\{/g, '%%{');
}

/**
 * A Terraform CLI config that installs providers from `mirror` only: with no `direct {}`
 * block, init fails instead of reaching for the registry.
 */
export function terraformCliConfig(mirror: string): string {
  return [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${hclString(mirror)}`,
    `    include = [${hclString(AWS_PROVIDER.source)}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}
