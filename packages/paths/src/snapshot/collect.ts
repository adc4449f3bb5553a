import { defineContract, explain, quoteList, show } from '@trustline/contract';
import { JsonError, readJson } from '@trustline/json';
import { accountIdField, isObj } from '@trustline/trust';
import type { CollectReport } from '../types';
import { jsonErrorProblem, problemAt, type SnapshotProblem } from './problems';

const text = (description: string) => explain({ type: 'string', description }, ({ where, value }) => `${where} ${show(value)} must be a string.`);

const CollectReportSchema = explain(
  {
    type: 'object',
    additionalProperties: false,
    title: 'collect report',
    description: 'collect.json: how `trust-guard collect` read each account of organization.json, and every problem it met. An unreadable account has no <accountId>.json.',
    required: ['schemaVersion', 'collectedAt', 'caller', 'organizationReadAs', 'accounts', 'problems'],
    properties: {
      schemaVersion: explain({ const: 1, description: 'The version of this format.' }, ({ where, value }) => `${where} ${show(value)} is not a version this reader knows; it reads 1.`),
      collectedAt: text('ISO 8601 time the collection started.'),
      caller: text('The ARN of the credentials collect ran with.'),
      organizationReadAs: text('The ARN whose credentials made the Organizations calls.'),
      accounts: explain(
        {
          type: 'array',
          description: 'Every account of organization.json, with how it was read.',
          items: explain(
            {
              type: 'object',
              additionalProperties: false,
              required: ['accountId', 'status'],
              properties: {
                accountId: accountIdField('The account.'),
                status: explain({ type: 'string', enum: ['read', 'unreadable'], description: 'read: its IAM is in <accountId>.json. unreadable: it could not be read; paths through it are unknown.' }, ({ where, value }) => `${where} ${show(value)} is not ${quoteList(['read', 'unreadable'])}.`),
                readAs: text('The role (or caller) whose credentials read it, or would have.'),
                code: text('Unreadable only: a stable code (access-denied, throttled, timeout, no-role, gaad-page-failed, ...).'),
                reason: text('Unreadable only: why, in one sentence.'),
              },
            },
            ({ where, value }) => `${where} ${show(value)} must be an object such as {"accountId": "111111111111", "status": "read"}.`,
          ),
        },
        ({ where, value }) => `${where} ${show(value)} must be a list of accounts.`,
      ),
      problems: explain(
        {
          type: 'array',
          description: 'Faults that are not one account being unreadable.',
          items: explain(
            {
              type: 'object',
              additionalProperties: false,
              required: ['code', 'where', 'message'],
              properties: { code: text('Stable code.'), where: text('The call or part it concerns.'), accountId: accountIdField('The account, when there is one.'), message: text('What is missing or doubtful, and why.') },
            },
            ({ where, value }) => `${where} ${show(value)} must be an object with "code", "where" and "message".`,
          ),
        },
        ({ where, value }) => `${where} ${show(value)} must be a list of problems.`,
      ),
    },
  },
  ({ value }) => `the collect report ${show(value).slice(0, 80)} must be a JSON object with "schemaVersion", "collectedAt", "caller", "organizationReadAs", "accounts" and "problems".`,
);

/** The collect.json contract (written by `trust-guard collect`, read by {@link readSnapshot}). */
export const collectReportContract = defineContract(CollectReportSchema, { $id: 'https://trustline.dev/schemas/collect.schema.json' });

/** Reads collect.json with the strict JSON reader and its contract; any fault leaves the report out (one problem each). */
export function parseCollectReport(file: string, input: Uint8Array | string): { readonly report?: CollectReport; readonly problems: readonly SnapshotProblem[] } {
  let doc;
  try {
    doc = readJson(input, { file });
  } catch (e) {
    if (!(e instanceof JsonError)) throw e;
    return { problems: [jsonErrorProblem(e, file, 'the collect report')] };
  }
  const problems = collectReportContract.problems(doc.value).map((sentence) => problemAt(doc, file, [], sentence));
  if (problems.length > 0 || !isObj(doc.value)) return { problems };
  return { report: doc.value as unknown as CollectReport, problems };
}
