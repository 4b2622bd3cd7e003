import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, configHints, loadConfig } from '../config';
import { SCALE_PROFILES } from '../capacity/scale-settings';

describe('loadConfig', () => {
  it('works with zero configuration', () => {
    expect(loadConfig({})).toEqual({
      environment: 'dev',
      profile: 'development',
      region: 'us-east-1',
      notificationEmail: undefined,
      notificationSms: undefined,
      bucketSuffix: undefined,
      lowStockThreshold: 5,
      // The dashboard's client has its own URLs (the distribution's); these are only extra ones.
      callbackUrls: [],
      logoutUrls: [],
      reportUserPoolArn: undefined,
      reportDatabase: undefined,
      stateBucket: undefined,
      scale: SCALE_PROFILES.lab,
    });
  });

  it('applies the production rules to prod by name, or to any environment by PIPELINE_PROFILE', () => {
    expect(loadConfig({ PIPELINE_ENV: 'prod', ALARM_EMAIL: 'ops@example.com' }).profile).toBe('production');
    expect(loadConfig({ PIPELINE_ENV: 'staging' }).profile).toBe('development');
    expect(loadConfig({ PIPELINE_ENV: 'live', PIPELINE_PROFILE: 'production', ALARM_SMS: '+14155550100' }).profile).toBe('production');
    expect(loadConfig({ PIPELINE_ENV: 'prod', PIPELINE_PROFILE: 'development' }).profile).toBe('development');
    expect(() => loadConfig({ PIPELINE_PROFILE: 'prod' })).toThrow('PIPELINE_PROFILE="prod" must be "development" or "production".');
  });

  it('refuses a production environment whose alarms would reach no one', () => {
    expect(() => loadConfig({ PIPELINE_ENV: 'prod' })).toThrow(
      'PIPELINE_ENV="prod" is a production environment: set ALARM_EMAIL or ALARM_SMS, so that its alarms reach someone (or PIPELINE_PROFILE=development for a trial).',
    );
    expect(() => loadConfig({ PIPELINE_ENV: 'test', PIPELINE_PROFILE: 'production' })).toThrow(/set ALARM_EMAIL or ALARM_SMS/);
  });

  it.each(['acme-pipelines-tfstate', 'abc', 'a'.repeat(63), '123-state'])('accepts the state bucket %s', (name) => {
    expect(loadConfig({ STATE_BUCKET: ` ${name} ` }).stateBucket).toBe(name);
  });

  it.each([
    ['ab', /STATE_BUCKET="ab" is not an S3 bucket name this project can use: 3-63 lowercase/],
    ['a'.repeat(64), /STATE_BUCKET/],
    ['Acme-State', /STATE_BUCKET="Acme-State"/],
    ['acme_state', /STATE_BUCKET="acme_state"/],
    ['-acme-state', /STATE_BUCKET/],
    ['acme-state-', /STATE_BUCKET/],
    ['acme.state', /no dots/],
    ['xn--acme-state', /STATE_BUCKET="xn--acme-state" uses "xn--", which S3 reserves/],
    ['sthree-state', /"sthree-", which S3 reserves/],
    ['amzn-s3-demo-state', /"amzn-s3-demo-", which S3 reserves/],
    ['acme-state-s3alias', /"-s3alias", which S3 reserves/],
    ['acme-state--ol-s3', /"--ol-s3", which S3 reserves/],
    ['acme-state--x-s3', /"--x-s3", which S3 reserves/],
    ['acme-state--table-s3', /"--table-s3", which S3 reserves/],
  ])('rejects the state bucket %j with a message naming the variable', (name, message) => {
    expect(() => loadConfig({ STATE_BUCKET: name })).toThrow(ConfigError);
    expect(() => loadConfig({ STATE_BUCKET: name })).toThrow(message);
  });

  it('reads the inventory, report and dashboard settings', () => {
    const config = loadConfig({
      BUCKET_SUFFIX: 'jane-doe',
      LOW_STOCK_THRESHOLD: '0',
      COGNITO_CALLBACK_URLS: 'https://dash.example.com/callback, http://localhost:5173/',
      COGNITO_LOGOUT_URLS: 'https://dash.example.com/',
      REPORT_USER_POOL_ARN: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123',
    });
    expect(config).toMatchObject({
      bucketSuffix: 'jane-doe',
      lowStockThreshold: 0,
      callbackUrls: ['https://dash.example.com/callback', 'http://localhost:5173/'],
      logoutUrls: ['https://dash.example.com/'],
      reportUserPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123',
    });
  });

  it('reads every variable, trimming blanks', () => {
    expect(loadConfig({ PIPELINE_ENV: ' prod ', PIPELINE_REGION: 'eu-west-2', NOTIFICATION_EMAIL: 'ops@example.com', ALARM_EMAIL: ' ops@example.com ' })).toMatchObject({
      environment: 'prod',
      region: 'eu-west-2',
      notificationEmail: 'ops@example.com',
    });
    expect(loadConfig({ NOTIFICATION_EMAIL: '  ' }).notificationEmail).toBeUndefined();
  });

  it.each(['+14155550100', '+442071838750', '+861012345678901'])('accepts the SMS number %s (E.164)', (number) => {
    expect(loadConfig({ NOTIFICATION_SMS: ` ${number} ` }).notificationSms).toBe(number);
  });

  it('has no SMS number unless one is set', () => {
    expect(loadConfig({ NOTIFICATION_SMS: '  ' }).notificationSms).toBeUndefined();
  });

  it.each(['4155550100', '+1 415 555 0100', '+1-415-555-0100', '+04155550100', '+1415555010012345', '+', 'ops@example.com'])(
    'rejects the SMS number %j with one message naming the variable and the form',
    (number) => {
      let error: unknown;
      try {
        loadConfig({ NOTIFICATION_SMS: number });
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(
        `Invalid configuration:\n  - NOTIFICATION_SMS="${number}" is not a phone number in E.164 form: "+", the country code and the number, digits only, no spaces (e.g. "+14155550100").`,
      );
    },
  );

  it.each(['us-gov-west-1', 'cn-north-1', 'ap-southeast-2', 'il-central-1'])('accepts region %s', (region) => {
    expect(loadConfig({ PIPELINE_REGION: region }).region).toBe(region);
  });

  it.each([
    [{ PIPELINE_ENV: 'Prod' }, /PIPELINE_ENV="Prod"/],
    [{ PIPELINE_ENV: 'a-very-long-environment' }, /1-12 characters/],
    [{ PIPELINE_ENV: '1dev' }, /PIPELINE_ENV/],
    [{ PIPELINE_REGION: 'us-east' }, /PIPELINE_REGION="us-east" is not an AWS region/],
    [{ PIPELINE_REGION: 'US-EAST-1' }, /PIPELINE_REGION/],
    [{ NOTIFICATION_EMAIL: 'not-an-email' }, /NOTIFICATION_EMAIL="not-an-email" is not an email address/],
    [{ NOTIFICATION_EMAIL: 'a b@example.com' }, /NOTIFICATION_EMAIL/],
    [{ BUCKET_SUFFIX: 'Jane' }, /BUCKET_SUFFIX="Jane" must be 1-24 lowercase/],
    [{ BUCKET_SUFFIX: 'jane-' }, /BUCKET_SUFFIX/],
    [{ BUCKET_SUFFIX: 'a'.repeat(25) }, /BUCKET_SUFFIX/],
    [{ LOW_STOCK_THRESHOLD: '-1' }, /LOW_STOCK_THRESHOLD="-1" must be a whole number/],
    [{ LOW_STOCK_THRESHOLD: '2.5' }, /LOW_STOCK_THRESHOLD/],
    [{ COGNITO_CALLBACK_URLS: 'http://dash.example.com/cb' }, /COGNITO_CALLBACK_URLS: "http:\/\/dash.example.com\/cb" must use https/],
    [{ COGNITO_CALLBACK_URLS: 'dash.example.com' }, /COGNITO_CALLBACK_URLS: "dash.example.com" is not an absolute URL/],
    [{ COGNITO_LOGOUT_URLS: 'https://dash.example.com/#out' }, /COGNITO_LOGOUT_URLS: .* must not contain a fragment/],
    [{ REPORT_USER_POOL_ARN: 'us-east-1_AbCdEf123' }, /REPORT_USER_POOL_ARN="us-east-1_AbCdEf123" is not a Cognito user pool ARN/],
  ])('rejects %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads an existing database for the report pipeline, all four variables together', () => {
    const database = {
      REPORT_DB_ENDPOINT: 'coffee.cluster-abc.us-east-1.rds.amazonaws.com',
      REPORT_DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:coffee-AbCdEf',
      REPORT_DB_SUBNET_IDS: 'subnet-0aaa, subnet-0bbb',
      REPORT_DB_SECURITY_GROUP_ID: 'sg-0ccc',
    };
    expect(loadConfig(database).reportDatabase).toEqual({
      endpoint: 'coffee.cluster-abc.us-east-1.rds.amazonaws.com',
      port: 3306,
      secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:coffee-AbCdEf',
      subnetIds: ['subnet-0aaa', 'subnet-0bbb'],
      securityGroupId: 'sg-0ccc',
    });
    expect(loadConfig({ ...database, REPORT_DB_PORT: '3307' }).reportDatabase?.port).toBe(3307);
    expect(() => loadConfig({ REPORT_DB_ENDPOINT: database.REPORT_DB_ENDPOINT })).toThrow(
      /needs all of REPORT_DB_ENDPOINT, REPORT_DB_SECRET_ARN, REPORT_DB_SUBNET_IDS, REPORT_DB_SECURITY_GROUP_ID; missing: REPORT_DB_SECRET_ARN, REPORT_DB_SUBNET_IDS, REPORT_DB_SECURITY_GROUP_ID/,
    );
    expect(() => loadConfig({ ...database, REPORT_DB_SUBNET_IDS: 'private-a' })).toThrow(/REPORT_DB_SUBNET_IDS must be comma-separated subnet ids/);
    expect(() => loadConfig({ ...database, REPORT_DB_SECRET_ARN: 'coffee-login' })).toThrow(/REPORT_DB_SECRET_ARN="coffee-login" is not a Secrets Manager secret ARN/);
    expect(() => loadConfig({ REPORT_DB_PORT: '3307' })).toThrow(/REPORT_DB_PORT is set without REPORT_DB_ENDPOINT/);
  });

  it('reports every problem at once', () => {
    expect(() => loadConfig({ PIPELINE_ENV: 'X', PIPELINE_REGION: 'moon', NOTIFICATION_EMAIL: 'x' })).toThrow(
      /PIPELINE_ENV[\s\S]*PIPELINE_REGION[\s\S]*NOTIFICATION_EMAIL/,
    );
  });

  it('tells how to set the email when none is configured', () => {
    expect(configHints(loadConfig({})).join()).toMatch(/NOTIFICATION_EMAIL=/);
    expect(configHints(loadConfig({ NOTIFICATION_EMAIL: 'ops@example.com', ALARM_EMAIL: 'ops@example.com' }))).toEqual([]);
  });

  it("says so when the dashboard's CloudFront alarm cannot exist (outside us-east-1)", () => {
    const quiet = { NOTIFICATION_EMAIL: 'ops@example.com', ALARM_EMAIL: 'ops@example.com' };
    expect(configHints(loadConfig({ ...quiet, PIPELINE_REGION: 'eu-west-2' }))).toEqual([expect.stringMatching(/^PIPELINE_REGION is eu-west-2: the dashboard's CloudFront distribution has no 5xx alarm/)]);
    expect(configHints(loadConfig(quiet))).toEqual([]);
  });

  it('reads ALARM_EMAIL and ALARM_SMS, and says so when no one will hear the alarms', () => {
    expect(loadConfig({ ALARM_EMAIL: ' ops@example.com ', ALARM_SMS: '+14155550100' })).toMatchObject({
      alarmEmail: 'ops@example.com',
      alarmSms: '+14155550100',
    });
    expect(loadConfig({ ALARM_EMAIL: '  ' }).alarmEmail).toBeUndefined();
    expect(configHints(loadConfig({ NOTIFICATION_EMAIL: 'ops@example.com' })).join()).toMatch(/ALARM_EMAIL=/);
    expect(configHints(loadConfig({ NOTIFICATION_EMAIL: 'ops@example.com', ALARM_SMS: '+14155550100' }))).toEqual([]);
  });

  it.each([
    ['ALARM_EMAIL', 'ops', /ALARM_EMAIL="ops" is not an email address/],
    ['ALARM_SMS', '+1 415 555 0100', /ALARM_SMS="\+1 415 555 0100" is not a phone number in E\.164 form/],
  ])('rejects %s=%j naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});

describe('the cdktf app (scripts/run-app.js)', () => {
  const root = path.resolve(__dirname, '..');
  beforeAll(() => fs.mkdirSync(path.join(root, 'test-output'), { recursive: true }));
  const runApp = (env: Record<string, string>, outdir: string) =>
    spawnSync('node', [path.join(root, 'scripts/run-app.js')], {
      cwd: root,
      env: { ...process.env, PIPELINE_ENV: '', NOTIFICATION_EMAIL: '', NOTIFICATION_SMS: '', ALARM_EMAIL: '', ALARM_SMS: '', PIPELINE_REGION: '', CDKTF_OUTDIR: outdir, ...env },
      encoding: 'utf8',
    });

  it('fails synth with a clear message on bad configuration, writing nothing', () => {
    const outdir = path.join(root, 'test-output', 'bad-config');
    fs.rmSync(outdir, { recursive: true, force: true });
    const result = runApp({ NOTIFICATION_EMAIL: 'nope' }, outdir);
    expect(fs.existsSync(outdir)).toBe(false);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toContain('NOTIFICATION_EMAIL="nope"');
  });

  it('npm run synth reports bad configuration once, before cdktf starts', () => {
    const result = spawnSync('npm', ['run', 'synth'], { cwd: root, env: { ...process.env, NOTIFICATION_EMAIL: 'nope' }, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    const output = result.stdout + result.stderr;
    expect(output.split('NOTIFICATION_EMAIL="nope" is not an email address').length - 1).toBe(1);
    expect(output).not.toContain('cdktf encountered an error');
  });

  it('synthesizes every stack with zero configuration and says how to set the email', () => {
    const outdir = path.join(root, 'test-output', 'zero-config');
    const result = runApp({}, outdir);
    // A note, not an error: cdktf marks whatever the app writes to standard error as [ERROR].
    expect(result.stdout).toContain('note: NOTIFICATION_EMAIL is not set');
    expect(result.stderr).not.toContain('NOTIFICATION_EMAIL');
    expect(result.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual(['api-gateway-account', 'dashboard', 'inventory-pipeline', 'orders-pipeline', 'report-pipeline', 'state-backend']);
    // What `cdktf deploy '*'` orders the stacks by.
    expect(manifest.stacks['orders-pipeline'].dependencies).toEqual(['api-gateway-account']);
    expect(manifest.stacks['report-pipeline'].dependencies.sort()).toEqual(['api-gateway-account', 'inventory-pipeline']);
    expect(manifest.stacks.dashboard.dependencies.sort()).toEqual(['inventory-pipeline', 'report-pipeline']);
  });
});
