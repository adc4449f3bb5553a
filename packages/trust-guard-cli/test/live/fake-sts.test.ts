import { Readable } from 'node:stream';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { stsError } from './fake-sts';

/** STS's query-protocol error body, as AWS sends it. */
const errorXml = (code: string, message: string) =>
  `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fake-request-id</RequestId></ErrorResponse>`;

/** A real STSClient whose HTTP handler answers every request with one error response. */
function sdkClientAnswering(status: number, code: string, message: string): STSClient {
  const requestHandler = {
    handle: async () => ({
      response: { statusCode: status, headers: { 'x-amzn-requestid': 'fake-request-id', 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(errorXml(code, message))]) },
    }),
  };
  return new STSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' }, maxAttempts: 1, requestHandler: requestHandler as any });
}

describe('stsError builds exactly the exception SDK v3 throws for an STS error response', () => {
  const cases: Array<[string, 'AssumeRole' | 'GetCallerIdentity', number, string]> = [
    ['AccessDenied', 'AssumeRole', 403, 'User: arn:aws:sts::012345678901:assumed-role/trustline-hub/trustline-hub-dev is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/trustline-deploy'],
    ['NoSuchEntity', 'AssumeRole', 404, 'The role with name trustline-deploy cannot be found.'],
    ['ValidationError', 'AssumeRole', 400, 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'],
    ['ExpiredToken', 'GetCallerIdentity', 403, 'The security token included in the request is expired'],
  ];
  it.each(cases)('%s from %s', async (code, operation, status, message) => {
    const sts = sdkClientAnswering(status, code, message);
    const command = operation === 'AssumeRole' ? new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/trustline-deploy', RoleSessionName: 'trustline-deploy-dev' }) : new GetCallerIdentityCommand({});
    const thrown: unknown = await sts.send(command as AssumeRoleCommand).then(
      () => undefined,
      (e: unknown) => e,
    );
    sts.destroy();
    const fake = stsError(code, message, status);
    expect(thrown).toBeInstanceOf(STSServiceException);
    expect(fake).toBeInstanceOf(STSServiceException);
    const fields = (e: any) => ({ ...e, name: e.name, message: e.message });
    expect(fields(fake)).toEqual(fields(thrown));
    expect(fields(fake)).toMatchObject({ name: code, Code: code, message, $fault: 'client', $metadata: { httpStatusCode: status } });
  });
});
