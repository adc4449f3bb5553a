import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { problemsOf as thrownProblems, unexplainedNodes } from '@trustline/contract';
import Ajv from 'ajv';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  ACCOUNTS_SCHEMA_FILE,
  CHAINED_SESSION_MAX_SECONDS,
  accountsSchemaText,
  registryContract,
  findRegistryFile,
  getAccount,
  loadRegistry,
  parseRegistry,
  roleChain,
  sessionName,
  validateRegistry,
  SAMPLE_REGISTRY_FILE,
  sampleRegistryJson,
  registryTrustView,
} from '../src';

/** The live registry at the repository root: it changes whenever a team onboards an account. */
const LIVE = path.resolve(__dirname, '../../../accounts.json');
/** The frozen sample: every test that names accounts by position or lists them reads this one. */
const SAMPLE = SAMPLE_REGISTRY_FILE;
const sample = (): any => sampleRegistryJson();

/** Applies `mutate` to a copy of the sample registry and returns every problem it reports. */
function problemsOf(mutate: (r: any) => void): string[] {
  const r = sample();
  mutate(r);
  return [...thrownProblems(() => validateRegistry(r, 'accounts.json'))];
}

describe('the live registry (accounts.json at the root)', () => {
  // Whatever organization it describes (the sample's, or yours after npm run org:init): nothing here
  // names an account, so these pass on any valid registry.
  it('loads, with accounts sorted by key and ids kept as strings', () => {
    const r = loadRegistry(LIVE);
    const keys = r.accounts.map((a) => a.key);
    expect(keys).toEqual([...keys].sort());
    for (const a of [r.identity, ...r.accounts]) expect(a.accountId).toMatch(/^\d{12}$/);
  });

  it('is found by walking up from a project folder', () => {
    expect(loadRegistry(undefined)).toEqual(loadRegistry(LIVE));
  });
});

describe('validateRegistry refuses bad input, naming entry, field and value', () => {
  const cases: Array<[string, (r: any) => void, string]> = [
    ['short account id', (r) => (r.accounts[0].accountId = '12345'), 'accounts[0] ("dev").accountId "12345" is not a 12-digit AWS account id (keep it a string: "012345678901").'],
    ['numeric account id (leading zero lost)', (r) => (r.identity.accountId = 12345678901), 'identity.accountId 12345678901 is a number; write the account id as a 12-digit string'],
    ['13-digit id', (r) => (r.accounts[1].accountId = '3333333333333'), 'accounts[1] ("prod").accountId "3333333333333" is not a 12-digit'],
    ['duplicate key', (r) => (r.accounts[1].key = 'dev'), 'accounts[1].key "dev" is already used by accounts[0]; keys must be unique.'],
    ['duplicate id', (r) => (r.accounts[2].accountId = '111111111111'), 'accounts[2].accountId "111111111111" is already used by accounts[0]; each account appears once.'],
    ['id shared with the identity account', (r) => (r.accounts[0].accountId = '012345678901'), 'accounts[0].accountId "012345678901" is already used by identity'],
    ['session too short', (r) => (r.accounts[0].maxSessionDurationSeconds = 900), 'accounts[0] ("dev").maxSessionDurationSeconds 900 is outside 3600..43200 seconds (IAM\'s limits for a role\'s MaxSessionDuration).'],
    ['session too long', (r) => (r.accounts[0].maxSessionDurationSeconds = 43201), 'accounts[0] ("dev").maxSessionDurationSeconds 43201 is outside 3600..43200 seconds'],
    ['empty principals', (r) => (r.accounts[2].trustedPrincipals = []), 'accounts[2] ("test").trustedPrincipals [] must list at least one role ARN'],
    ['wildcard principal', (r) => (r.accounts[0].trustedPrincipals = ['arn:aws:iam::012345678901:role/ci-*']), 'accounts[0] ("dev").trustedPrincipals[0] "arn:aws:iam::012345678901:role/ci-*" contains a wildcard'],
    ['whole account principal', (r) => (r.accounts[0].trustedPrincipals = ['arn:aws:iam::012345678901:root']), 'is not a role ARN (arn:aws:iam::<12-digit account>:role/<name>); trust named roles, not a whole account.'],
    ['principal outside the registry', (r) => (r.accounts[0].trustedPrincipals = ['arn:aws:iam::444444444444:role/ci']), 'names account 444444444444, which is neither the identity account (012345678901) nor an account in this registry.'],
    ['unknown environment', (r) => (r.accounts[0].environment = 'staging'), 'accounts[0] ("dev").environment "staging" is not one of the registry\'s environments ("dev", "test", "prod").'],
    ['unknown region', (r) => (r.accounts[0].region = 'eu-west-9'), 'accounts[0] ("dev").region "eu-west-9" is not a known AWS region'],
    ['bad key', (r) => (r.accounts[0].key = 'Dev_Account'), 'accounts[0] ("Dev_Account").key "Dev_Account" is not a valid key'],
    ['bad organization id', (r) => (r.organizationId = 'org-1'), 'organizationId "org-1" is not an AWS Organizations id'],
    ['bad external id', (r) => (r.accounts[1].externalId = 'x'), 'accounts[1] ("prod").externalId "x" is not a valid sts:ExternalId'],
    ['external account that is ours', (r) => (r.externalAccounts[0].accountId = '111111111111'), 'externalAccounts[0].accountId "111111111111" is also accounts[0]; an account is either ours or external.'],
    ['misspelt field', (r) => (r.accounts[1].externalID = 'abc123'), 'accounts[1] ("prod").externalID is not a known field; allowed: key, accountId, environment, region, deployRoleName, trustedPrincipals, externalId, maxSessionDurationSeconds.'],
    ['unknown top-level field', (r) => (r.acounts = []), 'acounts is not a known field; allowed: organizationId,'],
    ['bad role name', (r) => (r.accounts[0].deployRoleName = 'has space'), 'accounts[0] ("dev").deployRoleName "has space" is not an IAM role name'],
    // The trust library's externalIdPatternsField judges the registry's patterns too (one owner).
    ['vendor ExternalId pattern without a tenant separator', (r) => (r.externalAccounts[0].externalIdPatterns = ['acme*']), 'externalAccounts[0].externalIdPatterns[0] "acme*" must be a StringLike pattern with a fixed tenant part, a separator (@ : / #) and then a wildcard'],
    ['vendor ExternalId patterns empty', (r) => (r.externalAccounts[0].externalIdPatterns = []), 'externalAccounts[0].externalIdPatterns [] must be a non-empty list of ExternalId patterns'],
  ];
  it.each(cases)('%s', (_name, mutate, expected) => {
    const problems = problemsOf(mutate);
    expect(problems.some((p) => p.includes(expected)), `expected one of\n${problems.join('\n')}\nto include\n${expected}`).toBe(true);
  });

  it('lists every problem in one error', () => {
    const r = sample();
    r.accounts[0].accountId = '1';
    r.accounts[1].maxSessionDurationSeconds = 10;
    r.accounts[2].trustedPrincipals = [];
    expect(() => validateRegistry(r, 'accounts.json')).toThrowError(/has 3 problems:\n {2}- accounts\[0\].*\n {2}- accounts\[1\].*\n {2}- accounts\[2\]/);
  });

  it('names the file on a JSON syntax error', () => {
    expect(() => parseRegistry('{"accounts": [', '/x/accounts.json')).toThrowError(/^\/x\/accounts.json: [\s\S]*not valid JSON/);
  });

  it('says where it looked when there is no registry above the folder, instead of falling back to another checkout', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-no-registry-'));
    onTestFinished(() => fs.rmSync(outside, { recursive: true, force: true }));
    expect(() => findRegistryFile(undefined, outside, {})).toThrowError(
      `no accounts.json in ${outside} or any folder above it; run inside the repository, or set TRUSTLINE_REGISTRY to the registry file.`,
    );
    expect(findRegistryFile(undefined, outside, { TRUSTLINE_REGISTRY: SAMPLE_REGISTRY_FILE })).toBe(SAMPLE_REGISTRY_FILE);
  });

  it('names the file when it cannot be read', () => {
    const missing = path.join(os.tmpdir(), 'no-such-dir-trustline', 'accounts.json');
    expect(() => loadRegistry(missing)).toThrowError(/cannot read the registry file/);
  });
});

describe('loadRegistry keeps the last parse of each file', () => {
  /** A temporary copy of the sample registry. */
  function tempRegistry(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-registry-cache-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'accounts.json');
    fs.writeFileSync(file, JSON.stringify(sample(), null, 2));
    return file;
  }

  it('returns the same registry, frozen all the way down, while the bytes are the same', () => {
    const file = tempRegistry();
    const first = loadRegistry(file);
    expect(loadRegistry(file)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.accounts)).toBe(true);
    expect(Object.isFrozen(first.accounts[0])).toBe(true);
    expect(() => (first.accounts as any[]).push({})).toThrow(TypeError);
    const view = registryTrustView(first);
    expect(registryTrustView(first)).toBe(view);
    expect(Object.isFrozen(view.trustedAccounts)).toBe(true);
  });

  it('reads a file rewritten with the same size at once (bytes are compared, not times)', () => {
    const file = tempRegistry();
    const before = loadRegistry(file);
    const text = fs.readFileSync(file, 'utf8');
    const stat = fs.statSync(file);
    // One digit of an account id changes: same size, and the times are set back to the old ones.
    fs.writeFileSync(file, text.replace('"111111111111"', '"111111111112"'));
    fs.utimesSync(file, stat.atime, stat.mtime);
    expect(fs.statSync(file).size).toBe(stat.size);
    const after = loadRegistry(file);
    expect(after).not.toBe(before);
    expect(getAccount(after, 'dev').accountId).toBe('111111111112');
    expect(getAccount(before, 'dev').accountId).toBe('111111111111');
  });

  it('does not keep a file that fails validation: the next load reports it again', () => {
    const file = tempRegistry();
    loadRegistry(file);
    fs.writeFileSync(file, '{"accounts": [');
    expect(() => loadRegistry(file)).toThrowError(/not valid JSON/);
    expect(() => loadRegistry(file)).toThrowError(/not valid JSON/);
  });
});

describe('roleChain', () => {
  const r = loadRegistry(SAMPLE);
  it('chains hub then deploy role, capped at one hour, with ExternalId when set', () => {
    const prod = getAccount(r, 'prod');
    expect(roleChain(r, prod)).toEqual([
      { roleArn: 'arn:aws:iam::012345678901:role/trustline-hub', sessionName: 'trustline-hub-prod', durationSeconds: 3600 },
      { roleArn: 'arn:aws:iam::333333333333:role/trustline-deploy', sessionName: 'trustline-deploy-prod', externalId: 'trustline-prod-7f3c9a1e', durationSeconds: 3600 },
    ]);
  });
  it('ends in the bootstrap role for the access project, without the deploy ExternalId', () => {
    const chain = roleChain(r, getAccount(r, 'prod'), 'bootstrap');
    expect(chain[1]).toEqual({ roleArn: 'arn:aws:iam::333333333333:role/OrganizationAccountAccessRole', sessionName: 'trustline-bootstrap-prod', durationSeconds: 3600 });
  });
  it('without a hub role, one hop, still capped at one hour (SSO/OIDC credentials are role sessions already)', () => {
    const noHub = { ...r, identity: { ...r.identity, hubRoleName: undefined }, accounts: r.accounts.map((a) => ({ ...a, maxSessionDurationSeconds: 7200 })) };
    const chain = roleChain(noHub, getAccount(noHub, 'dev'));
    expect(chain).toEqual([{ roleArn: 'arn:aws:iam::111111111111:role/trustline-deploy', sessionName: 'trustline-deploy-dev', durationSeconds: 3600 }]);
  });
  it('caps a chained session at one hour even when the role allows more', () => {
    const long = { ...r, accounts: r.accounts.map((a) => ({ ...a, maxSessionDurationSeconds: 43200 })) };
    expect(roleChain(long, getAccount(long, 'dev')).every((h) => h.durationSeconds <= CHAINED_SESSION_MAX_SECONDS)).toBe(true);
  });
  it('uses the partition of the account region', () => {
    const gov = { ...r, accounts: r.accounts.map((a) => ({ ...a, region: 'us-gov-west-1' })) };
    expect(roleChain(gov, getAccount(gov, 'dev'))[1].roleArn).toBe('arn:aws-us-gov:iam::111111111111:role/trustline-deploy');
  });
});

describe('sessionName', () => {
  it.each([
    [['trustline', 'deploy', 'dev'], 'trustline-deploy-dev'],
    [['a b', 'c/d'], 'a-b-c-d'],
    [['x'], 'x-'],
    [['n'.repeat(100)], 'n'.repeat(64)],
  ])('%j -> %s', (parts, expected) => {
    const name = sessionName(...parts);
    expect(name).toBe(expected);
    expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
  it('getAccount names the known keys when one is missing', () => {
    expect(() => getAccount(loadRegistry(SAMPLE), 'staging')).toThrowError('account "staging" is not in the registry; known accounts: dev, prod, test.');
  });
});

describe('accounts.schema.json', () => {
  const text = fs.readFileSync(ACCOUNTS_SCHEMA_FILE, 'utf8');
  it('has a sentence on every node: no problem is reported in the validator\'s words', () => {
    expect(unexplainedNodes(registryContract.schema)).toEqual([]);
  });

  it('is the schema of the contract validateRegistry runs, as npm run schemas writes it', () => {
    expect(text, 'accounts.schema.json is out of date: run npm run schemas').toBe(accountsSchemaText());
  });

  // Run as published (its JSON text, read by a separate draft-07 validator), the schema accepts and refuses
  // what validateRegistry does, except what only the whole file can tell (environments, unknown accounts, repeats).
  const published = new Ajv({ allErrors: true, strict: false });
  const schemaAccepts = published.compile(JSON.parse(text));
  it.each<[string, (r: any) => void, boolean]>([
    ['the sample', () => undefined, true],
    ['an unknown region (#14: enforced in code but not in the schema)', (r) => (r.accounts[0].region = 'eu-west-9'), false],
    ['an identity region that is not a region', (r) => (r.identity.region = 'Ireland'), false],
    ['a numeric account id', (r) => (r.accounts[0].accountId = 111111111111), false],
    ['a misspelt field', (r) => ((r.accounts[0].regoin = r.accounts[0].region), delete r.accounts[0].region), false],
    ['a wildcard principal', (r) => (r.accounts[0].trustedPrincipals = ['arn:aws:iam::012345678901:role/*']), false],
    ['an account root as principal', (r) => (r.accounts[0].trustedPrincipals = ['arn:aws:iam::012345678901:root']), false],
    ['no principals', (r) => (r.accounts[0].trustedPrincipals = []), false],
    ['a session in quotes', (r) => (r.accounts[0].maxSessionDurationSeconds = '3600'), false],
    ['a session above IAM', (r) => (r.accounts[0].maxSessionDurationSeconds = 43201), false],
    ['a vendor pattern without separator', (r) => (r.externalAccounts[0].externalIdPatterns = ['acme*']), false],
    ['a vendor pattern with separator', (r) => (r.externalAccounts[0].externalIdPatterns = ['acme@*']), true],
    ['a repeated vendor pattern', (r) => (r.externalAccounts[0].externalIdPatterns = ['acme@*', 'acme@*']), false],
    ['no accounts key', (r) => delete r.accounts, false],
    ['a short ExternalId', (r) => (r.accounts[0].externalId = 'x'), false],
    // null used to mean "the default" to the loader while the published schema refused it; both refuse it now.
    ['null environments', (r) => (r.environments = null), false],
    ['null externalAccounts', (r) => (r.externalAccounts = null), false],
  ])('agrees with validateRegistry: %s', (_, mutate, ok) => {
    const r = sample();
    mutate(r);
    expect(schemaAccepts(r), JSON.stringify(schemaAccepts.errors)).toBe(ok);
    expect(problemsOf(mutate).length === 0).toBe(ok);
  });
  it('gives one frozen trust view per registry, and a new one when the registry changes in place', () => {
    // The components ask for the view once per role; building it per call made the access program quadratic (issue 20).
    const r = validateRegistry(sample(), 'accounts.json');
    const view = registryTrustView(r);
    expect(registryTrustView(r)).toBe(view);
    expect(Object.isFrozen(view) && Object.isFrozen(view.trustedAccounts) && Object.isFrozen(view.externalAccounts[0])).toBe(true);
    expect(view.trustedAccounts).toEqual(['012345678901', '111111111111', '333333333333', '222222222222']);
    const grown = { ...r, accounts: [...r.accounts, { ...r.accounts[0], key: 'extra', accountId: '444444444444' }] };
    expect(registryTrustView(grown).trustedAccounts).toContain('444444444444');
    (r.accounts as unknown as unknown[]).push({ ...r.accounts[0], key: 'zz', accountId: '555555555555' });
    expect(registryTrustView(r)).not.toBe(view);
    expect(registryTrustView(r).trustedAccounts).toContain('555555555555');
  });
  it('passes declared vendor ExternalId patterns on to trust judgements', () => {
    const r = sample();
    r.externalAccounts[0].externalIdPatterns = ['acme@*'];
    expect(registryTrustView(validateRegistry(r, 'accounts.json')).externalAccounts[0]).toMatchObject({ externalIdPatterns: ['acme@*'] });
  });
  it('is referenced by the live registry', () => {
    expect(JSON.parse(fs.readFileSync(LIVE, 'utf8')).$schema).toBe('./packages/registry/accounts.schema.json');
  });
});

describe('parseRegistry', () => {
  it('accepts a file saved with a byte-order mark', () => {
    const r = parseRegistry(`\uFEFF${fs.readFileSync(SAMPLE_REGISTRY_FILE, 'utf8')}`, 'bom.json');
    expect(r.accounts.map((a) => a.key)).toEqual(['dev', 'prod', 'test']);
  });

  it('names the file, line and column of a JSON syntax error', () => {
    expect(() => parseRegistry('{\n  "accounts": [\n', '/x/accounts.json')).toThrowError(
      '/x/accounts.json: the account registry has 1 problem:\n  - the file is not valid JSON: line 3, column 1: expected a value (an object, list, string, number, true, false or null), found the end of the file.',
    );
  });

  it('refuses a key given twice (a leftover merge line must not redirect an account), naming file, line and key', () => {
    const text = fs.readFileSync(SAMPLE_REGISTRY_FILE, 'utf8');
    const id = text.indexOf('"accountId"', text.indexOf('"accounts"'));
    const merged = `${text.slice(0, id)}"accountId": "444444444444",\n      ${text.slice(id)}`;
    expect(JSON.parse(merged).accounts[0].accountId).not.toBe('444444444444');
    const line = merged.slice(0, id).split('\n').length;
    expect(() => parseRegistry(merged, '/x/accounts.json')).toThrowError(
      new RegExp(`^/x/accounts\\.json: the account registry has 1 problem:\\n  - the file cannot be read: line ${line + 1}, column 7: the key "accountId" appears twice in one object \\(first at line ${line}, column \\d+\\)`),
    );
  });

  it('reads UTF-16 bytes (a registry saved by PowerShell) as loadRegistry passes them', () => {
    const r = parseRegistry(Buffer.from(`\uFEFF${fs.readFileSync(SAMPLE_REGISTRY_FILE, 'utf8')}`, 'utf16le'), 'utf16.json');
    expect(r.accounts.map((a) => a.key)).toEqual(['dev', 'prod', 'test']);
  });
});

const rename = (obj: any, from: string, to: string) => {
  obj[to] = obj[from];
  delete obj[from];
};

const ALLOWED_ENTRY = 'key, accountId, environment, region, deployRoleName, trustedPrincipals, externalId, maxSessionDurationSeconds';

describe('registry messages: a missing field says "is missing", a wrong type says which type, one typo is one problem', () => {
  it.each([
    ['region missing', (r) => delete r.accounts[0].region, ['accounts[0] ("dev").region is missing; name the AWS region, for example "eu-west-1" or "us-east-1".']],
    ['identity region missing', (r) => delete r.identity.region, ['identity.region is missing; name the AWS region, for example "eu-west-1" or "us-east-1".']],
    ['region a number', (r) => (r.accounts[0].region = 1), ['accounts[0] ("dev").region 1 is a number, not a string; name the AWS region, for example "eu-west-1" or "us-east-1".']],
    ['session seconds as a string', (r) => (r.accounts[0].maxSessionDurationSeconds = '3600'), ['accounts[0] ("dev").maxSessionDurationSeconds "3600" is a string; write it as a number without quotes: 3600.']],
    [
      'session seconds missing',
      (r) => delete r.accounts[0].maxSessionDurationSeconds,
      ['accounts[0] ("dev").maxSessionDurationSeconds is missing; set the deploy role\'s MaxSessionDuration, a whole number of seconds from 3600 to 43200 seconds (IAM\'s limits for a role\'s MaxSessionDuration), e.g. 3600.'],
    ],
    ['session seconds fractional', (r) => (r.accounts[0].maxSessionDurationSeconds = 3600.5), ['accounts[0] ("dev").maxSessionDurationSeconds 3600.5 is not a whole number of seconds; write a whole number from 3600 to 43200 seconds (IAM\'s limits for a role\'s MaxSessionDuration).']],
    ['session seconds too short (unchanged)', (r) => (r.accounts[0].maxSessionDurationSeconds = 900), ['accounts[0] ("dev").maxSessionDurationSeconds 900 is outside 3600..43200 seconds (IAM\'s limits for a role\'s MaxSessionDuration).']],
    ['environment missing', (r) => delete r.accounts[0].environment, ['accounts[0] ("dev").environment is missing; set one of the registry\'s environments ("dev", "test", "prod").']],
    ['deploy role missing', (r) => delete r.accounts[0].deployRoleName, ['accounts[0] ("dev").deployRoleName is missing; name the IAM role, for example "trustline-deploy".']],
    ['account id missing', (r) => delete r.accounts[2].accountId, ['accounts[2] ("test").accountId is missing; write the 12-digit account id as a string, e.g. "012345678901".']],
    ['organization missing', (r) => delete r.organizationId, ['organizationId is missing; set the AWS Organizations id ("o-" then 10 to 32 lower-case letters or digits).']],
    ['key missing', (r) => delete r.accounts[0].key, ['accounts[0].key is missing; write a key of lower-case letters, digits and dashes, 2 to 40 characters, starting with a letter.']],
    [
      'a misspelt entry field is one problem, not "unknown" plus "missing"',
      (r) => rename(r.accounts[0], 'region', 'regoin'),
      [`accounts[0] ("dev").regoin is not a known field; did you mean "region" (which is missing)? Allowed: ${ALLOWED_ENTRY}.`],
    ],
    [
      'a misspelt identity field: one problem, and no trustedPrincipals cascade',
      (r) => rename(r.identity, 'accountId', 'acountId'),
      ['identity.acountId is not a known field; did you mean "accountId" (which is missing)? Allowed: key, accountId, region, hubRoleName.'],
    ],
    [
      'a misspelt identity entry: one problem, and no trustedPrincipals cascade',
      (r) => rename(r, 'identity', 'identiy'),
      ['identiy is not a known field; did you mean "identity" (which is missing)? Allowed: organizationId, bootstrapRoleName, environments, identity, externalAccounts, accounts.'],
    ],
    [
      'a mistyped identity account id: its own problem only, the principals naming the real one are not each reported',
      (r) => (r.identity.accountId = '01234567890'),
      ['identity.accountId "01234567890" is not a 12-digit AWS account id (keep it a string: "012345678901"); trustedPrincipals naming other accounts are checked once it is fixed.'],
    ],
    [
      'a well-formed but wrong identity account id: one problem naming every principal that names the real one',
      (r) => (r.identity.accountId = '012345678902'),
      [
        'accounts[0] ("dev").trustedPrincipals[0], accounts[0] ("dev").trustedPrincipals[1], accounts[1] ("prod").trustedPrincipals[0] and accounts[2] ("test").trustedPrincipals[0] name account 012345678901, which is neither the identity account (012345678902) nor an account in this registry.',
      ],
    ],
    [
      'identity missing altogether',
      (r) => delete r.identity,
      ['identity is missing; add the identity account as an object with "key", "accountId" and "region" (trustedPrincipals naming other accounts are checked once it is there).'],
    ],
  ])('%s', (_name, mutate, expected) => {
    expect(problemsOf(mutate)).toEqual(expected);
  });

  it('an unknown field that is no near miss is still reported as unknown', () => {
    expect(problemsOf((r) => (r.accounts[0].owner = 'team-a'))).toEqual([`accounts[0] ("dev").owner is not a known field; allowed: ${ALLOWED_ENTRY}.`]);
  });
});
