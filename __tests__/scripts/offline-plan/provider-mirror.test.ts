import { findProviderMirror, providerPathsIn, terraformCliConfig, terraformPlatform, wellKnownMirrors } from '../../../scripts/offline-plan/provider-mirror';

const UNPACKED = '/opt/tf-plugins/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64';

function lookup(existing: string[], override?: string) {
  return { override, home: '/home/me', platform: 'linux_amd64', exists: (path: string) => existing.includes(path) };
}

describe('provider mirror lookup', () => {
  it('finds the first well-known mirror holding hashicorp/aws 5.100.0 for this platform', () => {
    expect(findProviderMirror(lookup([UNPACKED]))).toBe('/opt/tf-plugins');
    expect(findProviderMirror(lookup(['/home/me/.terraform.d/plugins/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64']))).toBe('/home/me/.terraform.d/plugins');
  });

  it('accepts the packed layout too', () => {
    const packed = '/usr/share/terraform/plugins/registry.terraform.io/hashicorp/aws/terraform-provider-aws_5.100.0_linux_amd64.zip';
    expect(providerPathsIn('/usr/share/terraform/plugins', 'linux_amd64')).toContain(packed);
    expect(findProviderMirror(lookup([packed]))).toBe('/usr/share/terraform/plugins');
  });

  it('uses TF_PROVIDER_MIRROR alone when set, and fails rather than falling back to another mirror', () => {
    expect(findProviderMirror(lookup(['/mirror/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64', UNPACKED], '/mirror'))).toBe('/mirror');
    expect(() => findProviderMirror(lookup([UNPACKED], '/typo'))).toThrow('not found in TF_PROVIDER_MIRROR=/typo');
  });

  it('says what is missing, where it looked and how to point at a mirror', () => {
    expect(() => findProviderMirror(lookup([]))).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/any of \/opt\/tf-plugins, \/home\/me\/.terraform.d\/plugins.*\n.*registry.terraform.io\/hashicorp\/aws\/5.100.0\/linux_amd64\/terraform-provider-aws_v5.100.0_x5[\s\S]*TF_PROVIDER_MIRROR=/),
      }),
    );
  });

  it('searches the documented places in order', () => {
    expect(wellKnownMirrors('/root')).toEqual(['/opt/tf-plugins', '/root/.terraform.d/plugins', '/usr/share/terraform/plugins', '/usr/local/share/terraform/plugins']);
  });

  it('names platforms as Terraform does', () => {
    expect(terraformPlatform('linux', 'x64')).toBe('linux_amd64');
    expect(terraformPlatform('darwin', 'arm64')).toBe('darwin_arm64');
    expect(terraformPlatform('win32', 'x64')).toBe('windows_amd64');
  });
});

describe('terraform CLI config', () => {
  it('installs hashicorp/aws from the mirror only, with no direct (network) installation', () => {
    const config = terraformCliConfig('/opt/tf-plugins');
    expect(config).toBe(
      'provider_installation {\n  filesystem_mirror {\n    path    = "/opt/tf-plugins"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n',
    );
    expect(config).not.toContain('direct');
  });

  it('quotes paths safely', () => {
    expect(terraformCliConfig('/a "b"/${c}')).toContain('path    = "/a \\"b\\"/$${c}"');
  });
});
