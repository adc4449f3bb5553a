import type { IAMClient } from '@aws-sdk/client-iam';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';

/** Adds a middleware around every attempt of every call of `client` (inside the SDK's retry loop), so a test can fail, delay or rewrite a call. */
export function intercept<T extends IAMClient | OrganizationsClient>(client: T, fn: (command: string, input: any, next: () => Promise<any>) => Promise<any>): T {
  (client.middlewareStack as IAMClient['middlewareStack']).add((next, context) => async (args) => fn(context.commandName ?? '', args.input, () => next(args)), {
    step: 'deserialize',
    priority: 'high',
    name: 'testIntercept',
  });
  return client;
}

/** An AWS error as the SDK throws it: the error code in `name`, the HTTP status in `$metadata`. */
export const awsError = (name: string, message: string, httpStatusCode: number) => Object.assign(new Error(message), { name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode } });
