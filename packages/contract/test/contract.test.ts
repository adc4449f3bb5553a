import { describe, expect, it } from 'vitest';
import { ProblemsError, defineContract, explain, formatPath, problemsOf, repeatedIndexes, show, unexplainedNodes } from '../src';

const port = explain({ type: 'integer', minimum: 1, maximum: 65535 }, ({ where, value }) => `${where} ${show(value)} must be a whole number from 1 to 65535.`);
const name = explain({ type: 'string', minLength: 1 }, ({ where, value }) => (value === undefined ? `${where} is missing; name it.` : `${where} ${show(value)} must be a non-empty string.`));
const tags = explain({ type: 'array', items: { type: 'string' }, uniqueItems: true }, ({ where, value, keyword }) =>
  keyword === 'uniqueItems' && Array.isArray(value) ? repeatedIndexes(value).map((i) => `${where}[${i}] ${show(value[i])} is listed twice.`) : `${where} must be a list.`,
);
const target = explain(
  { type: 'object', additionalProperties: false, anyOf: [{ required: ['host'] }, { required: ['socket'] }], properties: { host: { type: 'string' }, socket: { type: 'string' } } },
  ({ where, keyword }) => (keyword === 'anyOf' ? `${where} has neither "host" nor "socket".` : `${where} must be an object.`),
);
const Service = explain(
  { type: 'object', additionalProperties: false, required: ['name'], properties: { name, port, tags, target, note: { type: 'string' } } },
  ({ value }) => `the service ${show(value)} must be an object.`,
);

const contract = defineContract(Service, {
  $id: 'https://example.test/service.json',
  unknownField: ({ at, field, object, allowed }) => {
    const meant = allowed.find((a) => object[a] === undefined && a.toLowerCase() === field.toLowerCase());
    const problem = `${at === '' ? '' : `${at}.`}${field} is not a known field${meant ? `; did you mean "${meant}"?` : ''}`;
    return meant === undefined ? problem : { problem, meant };
  },
});

describe('defineContract: one definition, sentences for every failure', () => {
  it.each<[string, unknown, string[]]>([
    ['a valid document', { name: 'api', port: 443, tags: ['a'], target: { host: 'h' } }, []],
    ['not an object', [], ['the service [] must be an object.']],
    ['a missing field, in its own words', {}, ['name is missing; name it.']],
    ['one sentence per node and place (type and range both fail)', { name: 'api', port: 0.5 }, ['port 0.5 must be a whole number from 1 to 65535.']],
    ['a range', { name: 'api', port: 70000 }, ['port 70000 must be a whole number from 1 to 65535.']],
    ['every repeat of a list, by index', { name: 'api', tags: ['a', 'b', 'a', 'b'] }, ['tags[2] "a" is listed twice.', 'tags[3] "b" is listed twice.']],
    ['a failed anyOf once, not its branches', { name: 'api', target: {} }, ['target has neither "host" nor "socket".']],
    ['an unknown field before the missing one', { nme: 'x' }, ['nme is not a known field', 'name is missing; name it.']],
    ['a near miss claims the field: its "missing" is not repeated', { Name: 'x' }, ['Name is not a known field; did you mean "name"?']],
    ['an unknown nested field', { name: 'api', target: { host: 'h', hots: 'x' } }, ['target.hots is not a known field']],
    ['a node without sentences falls back to the validator message', { name: 'api', note: 5 }, ['note 5 must be string.']],
  ])('%s', (_, value, problems) => {
    expect(contract.problems(value)).toEqual(problems);
  });

  it('names the nodes that would be reported in the validator\'s words', () => {
    expect(unexplainedNodes(Service)).toEqual(['$.tags[]', '$.target.host', '$.target.socket', '$.note']);
  });

  it('publishes the definition as draft-07 JSON, without the sentences', () => {
    const schema = contract.jsonSchema();
    expect(schema).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', $id: 'https://example.test/service.json', type: 'object', additionalProperties: false, required: ['name'] });
    expect(Object.getOwnPropertySymbols(schema)).toEqual([]);
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('writes places the way readers write them, unless the contract says otherwise', () => {
    expect(formatPath(['accounts', 2, 'trustedPrincipals', 0])).toBe('accounts[2].trustedPrincipals[0]');
    expect(formatPath([])).toBe('');
    const labelled = defineContract({ type: 'object', properties: { xs: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } } } }, { where: (p) => `<${p.join('/')}>` });
    expect(labelled.problems({ xs: [{ id: 1 }] })).toEqual(['<xs/0/id> 1 must be string.']);
  });
});

describe('problemsOf', () => {
  it('returns the problems of a refusal, none when nothing is thrown, and throws any other error on', () => {
    expect(problemsOf(() => new ProblemsError('x.json', ['a is wrong.'], 'x.json: a is wrong.'))).toEqual([]);
    expect(
      problemsOf(() => {
        throw new ProblemsError('x.json', ['a is wrong.', 'b is missing.'], 'x.json: 2 problems');
      }),
    ).toEqual(['a is wrong.', 'b is missing.']);
    expect(() =>
      problemsOf(() => {
        throw new TypeError('a bug');
      }),
    ).toThrowError(TypeError);
  });
});
